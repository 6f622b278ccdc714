import { describe, expect, it } from "vitest";
import { claimedText, endOfDayIso, todayInput } from "./complimentaryView";

describe("complimentary access view", () => {
  it("ends a chosen day at its last second in the admin's zone", () => {
    const iso = endOfDayIso("2031-05-17");
    expect(iso).not.toBeNull();
    const end = new Date(iso as string);
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes()]).toEqual([2031, 4, 17, 23, 59]);
  });

  it("takes no date as no end, and refuses what is not a date", () => {
    expect(endOfDayIso("")).toBeNull();
    expect(endOfDayIso("next week")).toBeNull();
  });

  it("offers today as the earliest day", () => {
    expect(todayInput(new Date(2030, 0, 5, 12))).toBe("2030-01-05");
  });

  it("says how many devices proved the address", () => {
    expect(claimedText({ deviceCount: 0 })).toBe("Not yet");
    expect(claimedText({ deviceCount: 1 })).toBe("1 device");
    expect(claimedText({ deviceCount: 3 })).toBe("3 devices");
  });
});
