import { describe, expect, it } from "vitest";
import { categoryLabel, formatCount, formatDuration, formatMs, formatPercent, formatRatio, plural } from "./format";

describe("durations", () => {
  it("writes seconds as the two biggest units", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(44.6)).toBe("45s");
    expect(formatDuration(245)).toBe("4m 05s");
    expect(formatDuration(3720)).toBe("1h 02m");
    expect(formatDuration(3 * 86400 + 4 * 3600 + 59)).toBe("3d 04h");
    expect(formatDuration(-5)).toBe("0s");
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
  });

  it("writes startup times in ms, seconds or minutes", () => {
    expect(formatMs(850)).toBe("850 ms");
    expect(formatMs(1234, "en")).toBe("1.2 s");
    expect(formatMs(2000, "en")).toBe("2 s");
    expect(formatMs(65_000)).toBe("1m 05s");
    expect(formatMs(null)).toBe("—");
  });
});

describe("percentages and counts", () => {
  it("writes ratios and percentages with at most one decimal", () => {
    expect(formatRatio(0.1234, "en")).toBe("12.3%");
    expect(formatRatio(0.5, "en")).toBe("50%");
    expect(formatRatio(0, "en")).toBe("0%");
    expect(formatRatio(0.00042, "en", 2)).toBe("0.04%");
    expect(formatRatio(null)).toBe("—");
    expect(formatPercent(42.06, "en")).toBe("42.1%");
    expect(formatPercent(undefined)).toBe("—");
  });

  it("groups thousands and pluralises", () => {
    expect(formatCount(1234567, "en")).toBe("1,234,567");
    expect(formatCount(null)).toBe("—");
    expect(plural(1, "session", undefined, "en")).toBe("1 session");
    expect(plural(1200, "session", undefined, "en")).toBe("1,200 sessions");
  });
});

describe("category labels", () => {
  it("names countries, capitalises devices and spells out unknown", () => {
    expect(categoryLabel("country", "DE", "en")).toBe("Germany (DE)");
    expect(categoryLabel("country", "unknown")).toBe("Unknown");
    expect(categoryLabel("deviceType", "desktop")).toBe("Desktop");
    expect(categoryLabel("browser", "Chrome")).toBe("Chrome");
    expect(categoryLabel("os", "")).toBe("Unknown");
  });
});
