import { describe, expect, it } from "vitest";
import { clampPercent, formatBandwidth, formatBytes, isMediaBusy, percentOf, sortRenditions } from "./mediaFormat";

describe("media formatting", () => {
  it("polls only while the server works on the video", () => {
    expect(isMediaBusy("uploaded")).toBe(true);
    expect(isMediaBusy("processing")).toBe(true);
    expect(isMediaBusy("ready")).toBe(false);
    expect(isMediaBusy("failed")).toBe(false);
    expect(isMediaBusy(null)).toBe(false);
  });

  it("computes whole percentages safely", () => {
    expect(percentOf(5, 10)).toBe(50);
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(12, 10)).toBe(100);
    expect(clampPercent(42.6)).toBe(43);
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(null)).toBe(0);
  });

  it("formats sizes and bitrates", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
    expect(formatBytes(150 * 1024 * 1024)).toBe("150 MB");
    expect(formatBandwidth(2_500_000)).toBe("2.5 Mbps");
    expect(formatBandwidth(3_000_000)).toBe("3 Mbps");
    expect(formatBandwidth(800_000)).toBe("800 kbps");
    expect(formatBandwidth(0)).toBe("—");
  });

  it("lists renditions from the largest down", () => {
    const sorted = sortRenditions([
      { name: "360p", width: 640, height: 360, bandwidth: 800_000 },
      { name: "1080p", width: 1920, height: 1080, bandwidth: 5_000_000 },
      { name: "720p", width: 1280, height: 720, bandwidth: 2_800_000 },
    ]);
    expect(sorted.map((r) => r.name)).toEqual(["1080p", "720p", "360p"]);
  });
});
