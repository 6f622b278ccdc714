import { describe, expect, it } from "vitest";
import { MAX_BARS, barsSummary, breakdownBars, funnelOf, funnelSummary, timelinePoints, timelineSummary } from "./summaries";

describe("breakdown bars", () => {
  it("labels rows, keeps the watch time and folds the long tail into Other", () => {
    const rows = Array.from({ length: MAX_BARS + 2 }, (_, i) => ({ key: `b${i}`, sessions: 100 - i, watchSeconds: 60 }));
    const bars = breakdownBars("browser", rows, "en");
    expect(bars).toHaveLength(MAX_BARS);
    expect(bars[0]).toEqual({ key: "b0", label: "b0", value: 100, detail: "1m 00s" });
    expect(bars[MAX_BARS - 1]).toMatchObject({ label: "Other (3)", value: 93 + 92 + 91, detail: "3m 00s" });
  });

  it("names device types and countries", () => {
    const bars = breakdownBars("country", [{ key: "FR", sessions: 2, watchSeconds: 90 }, { key: "unknown", sessions: 1, watchSeconds: 5 }], "en");
    expect(bars.map((b) => b.label)).toEqual(["France (FR)", "Unknown"]);
    expect(barsSummary(bars, "session", "en")).toBe("France (FR) 2 sessions, Unknown 1 session");
    expect(barsSummary([], "session")).toBe("no data");
  });
});

describe("timeline", () => {
  it("reads the points and describes the peak", () => {
    const points = timelinePoints([
      { at: "2025-05-06T10:00:00Z", viewers: 1 },
      { at: "2025-05-06T10:01:00Z", viewers: 3 },
      { at: "2025-05-06T10:02:00Z", viewers: 2 },
    ]);
    expect(points.map((p) => p.value)).toEqual([1, 3, 2]);
    const text = timelineSummary(points, (ms) => new Date(ms).toISOString().slice(11, 16), "en");
    expect(text).toBe("peak 3 viewers at 10:01, 2 viewers at the end; 3 points from 10:00 to 10:02");
    expect(timelineSummary([], String)).toBe("no data");
  });
});

describe("funnel", () => {
  it("lists the four steps with their share of visits", () => {
    const steps = funnelOf({ pageVisits: 4, gatePassed: 4, paid: 0, played: 3 });
    expect(funnelSummary(steps, "en")).toBe("Page visits 4, Gate passed 4 (100% of visits), Paid 0 (0% of visits), Played 3 (75% of visits)");
  });

  it("has no paid step on a free event", () => {
    const steps = funnelOf({ pageVisits: 4, gatePassed: 4, paid: null, played: 3 });
    expect(steps.map((s) => s.label)).toEqual(["Page visits", "Gate passed", "Played"]);
  });
});
