import { describe, expect, it } from "vitest";
import {
  OTHER_KEY,
  areaPath,
  barLengths,
  funnelSteps,
  linePath,
  linearScale,
  niceStep,
  niceTicks,
  stepPath,
  timeTicks,
  topRows,
} from "./chartMath";

describe("scales", () => {
  it("maps a domain onto a range, inverted for SVG's y axis", () => {
    const x = linearScale([0, 10], [0, 200]);
    expect(x(0)).toBe(0);
    expect(x(5)).toBe(100);
    const y = linearScale([0, 4], [180, 20]);
    expect(y(0)).toBe(180);
    expect(y(4)).toBe(20);
    expect(y(2)).toBe(100);
  });

  it("puts everything in the middle when the domain has no width", () => {
    const x = linearScale([5, 5], [0, 100]);
    expect(x(5)).toBe(50);
    expect(x(99)).toBe(50);
  });

  it("picks steps of 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(0.3)).toBe(1);
    expect(niceStep(0.3, false)).toBe(0.5);
    expect(niceStep(1.4)).toBe(2);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(230)).toBe(500);
    expect(niceStep(0)).toBe(1);
  });

  it("covers the maximum with nice ticks from zero", () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(5)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });
});

describe("paths", () => {
  it("draws a line through the points", () => {
    expect(linePath([])).toBe("");
    expect(linePath([{ x: 0, y: 10 }, { x: 5.256, y: 2 }])).toBe("M0 10 L5.26 2");
  });

  it("draws a step line that holds each value until the next point", () => {
    expect(stepPath([], 10)).toBe("");
    expect(stepPath([{ x: 0, y: 100 }], 60)).toBe("M0 100 H60");
    expect(
      stepPath(
        [
          { x: 0, y: 100 },
          { x: 10, y: 50 },
          { x: 20, y: 50 },
          { x: 30, y: 100 },
        ],
        40,
      ),
    ).toBe("M0 100 H10 V50 H20 H30 V100 H40");
  });

  it("closes a line down to the baseline for the area", () => {
    expect(areaPath("M0 10 H20", 0, 100)).toBe("M0 10 H20 V100 H0 Z");
    expect(areaPath("", 0, 100)).toBe("");
  });

  it("spreads time ticks at whole minutes", () => {
    const start = Date.UTC(2025, 0, 1, 10, 0);
    const ticks = timeTicks(start, start + 3600_000, 4);
    expect(ticks).toEqual([0, 15, 30, 45, 60].map((m) => start + m * 60_000));
    expect(timeTicks(start, start)).toEqual([start]);
  });
});

describe("rows", () => {
  const rows = [
    { key: "b", n: 5 },
    { key: "a", n: 5 },
    { key: "c", n: 9 },
    { key: "d", n: 1 },
    { key: "e", n: 2 },
  ];

  it("keeps the biggest rows, ties by name", () => {
    expect(topRows(rows, 5, (r) => r.n).map((r) => r.key)).toEqual(["c", "a", "b", "e", "d"]);
  });

  it("folds the rest into Other", () => {
    expect(topRows(rows, 3, (r) => r.n)).toEqual([
      { key: "c", value: 9 },
      { key: "a", value: 5 },
      { key: OTHER_KEY, value: 8, folded: 3 },
    ]);
  });

  it("scales bars to the biggest value", () => {
    expect(barLengths([10, 5, 0], 200)).toEqual([200, 100, 0]);
    expect(barLengths([0, 0], 200)).toEqual([0, 0]);
    expect(barLengths([], 200)).toEqual([]);
  });
});

describe("funnel", () => {
  it("gives each step its share of the first and of the previous step", () => {
    const steps = funnelSteps([
      { label: "Visits", value: 10 },
      { label: "Gate", value: 8 },
      { label: "Paid", value: 0 },
      { label: "Played", value: 4 },
    ]);
    expect(steps.map((s) => s.ofFirst)).toEqual([1, 0.8, 0, 0.4]);
    expect(steps.map((s) => s.ofPrevious)).toEqual([null, 0.8, 0, null]);
  });

  it("has no shares when nobody visited", () => {
    expect(funnelSteps([{ label: "Visits", value: 0 }, { label: "Played", value: 0 }]).map((s) => s.ofFirst)).toEqual([null, null]);
  });
});
