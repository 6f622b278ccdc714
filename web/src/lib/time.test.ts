import { describe, expect, it } from "vitest";
import { countdownParts, describeSchedule, formatCountdown, formatMediaTime, utcIsoToZonedLocal, zonedLocalToUtcIso } from "./time";

describe("media time", () => {
  it("formats positions as m:ss or h:mm:ss", () => {
    expect(formatMediaTime(0)).toBe("0:00");
    expect(formatMediaTime(65.9)).toBe("1:05");
    expect(formatMediaTime(3723)).toBe("1:02:03");
    expect(formatMediaTime(Number.NaN)).toBe("0:00");
  });
});

describe("countdown", () => {
  it("splits the time left and never goes negative", () => {
    const now = Date.UTC(2025, 0, 1);
    expect(countdownParts(now + (26 * 3600 + 61) * 1000, now)).toEqual({ days: 1, hours: 2, minutes: 1, seconds: 1, done: false });
    expect(countdownParts(now - 5000, now).done).toBe(true);
    expect(formatCountdown(now + 3_661_000, now)).toBe("01:01:01");
    expect(formatCountdown(now + 90_061_000, now)).toBe("1d 01:01:01");
  });
});

describe("time zones", () => {
  it("reads a datetime-local value in the chosen zone and sends UTC", () => {
    expect(zonedLocalToUtcIso("2025-07-01T18:00", "Europe/Paris")).toBe("2025-07-01T16:00:00Z");
    expect(zonedLocalToUtcIso("2025-01-15T18:00", "Europe/Paris")).toBe("2025-01-15T17:00:00Z");
    expect(zonedLocalToUtcIso("2025-03-10T09:30", "America/New_York")).toBe("2025-03-10T13:30:00Z");
    expect(zonedLocalToUtcIso("2025-03-10T09:30", "Asia/Kolkata")).toBe("2025-03-10T04:00:00Z");
    expect(zonedLocalToUtcIso("2025-03-10T09:30", "UTC")).toBe("2025-03-10T09:30:00Z");
  });

  it("rejects values that are not datetime-local", () => {
    expect(zonedLocalToUtcIso("", "UTC")).toBeNull();
    expect(zonedLocalToUtcIso("tomorrow", "UTC")).toBeNull();
  });

  it("shows a UTC instant as wall-clock time in a zone", () => {
    expect(utcIsoToZonedLocal("2025-07-01T16:00:00Z", "Europe/Paris")).toBe("2025-07-01T18:00");
    expect(utcIsoToZonedLocal("2025-11-02T06:30:00Z", "America/Los_Angeles")).toBe("2025-11-01T23:30");
    expect(utcIsoToZonedLocal(null, "UTC")).toBe("");
  });

  it("round-trips across a daylight-saving change", () => {
    for (const local of ["2025-03-30T01:30", "2025-03-30T03:30", "2025-10-26T04:00"]) {
      const iso = zonedLocalToUtcIso(local, "Europe/Berlin");
      expect(utcIsoToZonedLocal(iso, "Europe/Berlin")).toBe(local);
    }
  });
});

describe("an event's schedule for a viewer", () => {
  const spaces = (text: string) => text.replace(/\s/gu, " ");

  it("shows the viewer's own clock and the event's zone with its times when they differ", () => {
    const text = describeSchedule("2030-05-01T16:00:00Z", "2030-05-01T17:00:00Z", "America/New_York", "Asia/Tokyo", "en-US");
    expect(spaces(text.local)).toBe("Thu, May 2, 2030, 1:00 – 2:00 AM GMT+9");
    expect(spaces(text.eventZone)).toBe(
      "Your time. In America/New_York, where the event is scheduled: Wed, May 1, 2030, 12:00 – 1:00 PM EDT",
    );
  });

  it("names the event's zone when the viewer is on the same clock", () => {
    const text = describeSchedule("2030-01-15T17:00:00Z", null, "Europe/Paris", "Europe/Berlin", "en-US");
    expect(spaces(text.local)).toBe("Tue, Jan 15, 2030, 6:00 PM GMT+1");
    expect(text.eventZone).toBe("Your time; the event is scheduled in Europe/Paris time");
  });

  it("writes both days when the event runs past midnight", () => {
    const text = describeSchedule("2030-05-01T20:00:00Z", "2030-05-02T02:00:00Z", "UTC", "UTC", "en-US");
    expect(spaces(text.local)).toBe("Wed, May 1, 2030, 8:00 PM UTC – Thu, May 2, 2030, 2:00 AM UTC");
  });
});
