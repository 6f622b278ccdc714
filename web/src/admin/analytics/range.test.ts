import { describe, expect, it } from "vitest";
import { fromLocalInput, isLongSpan, presetRange, rangeFromParams, rangeParams, toLocalInput } from "./range";

const NOW = Date.UTC(2025, 4, 6, 12, 30, 15);

describe("date ranges", () => {
  it("ends a preset at the next whole minute", () => {
    expect(presetRange("24h", NOW)).toEqual({
      key: "24h",
      from: "2025-05-05T12:31:00.000Z",
      to: "2025-05-06T12:31:00.000Z",
      error: null,
    });
    expect(presetRange("7d", NOW).from).toBe("2025-04-29T12:31:00.000Z");
  });

  it("reads the range from the URL, 7 days by default", () => {
    expect(rangeFromParams(new URLSearchParams(""), NOW).key).toBe("7d");
    expect(rangeFromParams(new URLSearchParams("range=bogus"), NOW).key).toBe("7d");
    // an event's page starts with its own span: no from/to, the server works it out
    expect(rangeFromParams(new URLSearchParams(""), NOW, "event")).toEqual({ key: "event", from: null, to: null, error: null });
    expect(rangeFromParams(new URLSearchParams("range=24h"), NOW, "event").key).toBe("24h");
    expect(rangeFromParams(new URLSearchParams("range=30d"), NOW).from).toBe("2025-04-06T12:31:00.000Z");
    expect(rangeFromParams(new URLSearchParams("range=custom&from=2025-05-01T00:00:00Z&to=2025-05-02T00:00:00Z"), NOW)).toEqual({
      key: "custom",
      from: "2025-05-01T00:00:00.000Z",
      to: "2025-05-02T00:00:00.000Z",
      error: null,
    });
  });

  it("allows an open end and refuses an end before the start or a bad date", () => {
    expect(rangeFromParams(new URLSearchParams("range=custom&from=2025-05-01T00:00:00Z"), NOW)).toMatchObject({ to: null, error: null });
    expect(rangeFromParams(new URLSearchParams("range=custom&from=2025-05-02T00:00:00Z&to=2025-05-01T00:00:00Z"), NOW).error).toMatch(/later/);
    expect(rangeFromParams(new URLSearchParams("range=custom&from=yesterday"), NOW).error).toMatch(/valid/);
  });

  it("writes a choice as URL parameters", () => {
    expect(rangeParams("24h")).toEqual({ range: "24h" });
    expect(rangeParams("custom", { from: "2025-05-01T00:00:00.000Z", to: null })).toEqual({ range: "custom", from: "2025-05-01T00:00:00.000Z" });
  });

  it("round-trips datetime-local values in the browser's zone", () => {
    const iso = fromLocalInput("2025-05-06T09:45");
    expect(iso).not.toBeNull();
    expect(toLocalInput(iso)).toBe("2025-05-06T09:45");
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("09:45")).toBeNull();
    expect(toLocalInput(null)).toBe("");
  });

  it("tells long spans from short ones", () => {
    expect(isLongSpan(0, 24 * 3600_000)).toBe(false);
    expect(isLongSpan(0, 7 * 24 * 3600_000)).toBe(true);
  });
});
