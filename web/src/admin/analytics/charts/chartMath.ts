// The pure geometry behind the SVG charts: scales, nice ticks, paths, top-N rows and the funnel.

export type Scale = (value: number) => number;

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to the middle of the range. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  const span = d1 - d0;
  if (span === 0 || !Number.isFinite(span)) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / span;
  return (value) => r0 + (value - d0) * k;
}

/** A step of 1, 2 or 5 times a power of ten, at least `raw` (and at least 1 for counts). */
export function niceStep(raw: number, integer = true): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  const step = nice * power;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** Ticks from 0 up to (and covering) `max`, about `count` intervals: 0, 2, 4, 6 for a max of 5. */
export function niceTicks(max: number, count = 4, integer = true): number[] {
  const top = Math.max(0, Number.isFinite(max) ? max : 0);
  if (top === 0) return [0, 1];
  const step = niceStep(top / count, integer);
  const ticks: number[] = [];
  for (let v = 0; v < top + step - 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export interface Point {
  x: number;
  y: number;
}

const r = (n: number) => Math.round(n * 100) / 100;

/** "M x y L x y …" through the points; "" for none. */
export function linePath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${r(p.x)} ${r(p.y)}`).join(" ");
}

/**
 * A step line: each point's value holds until the next point's x (the last one until `endX`), which is
 * what a per-minute concurrency count is. "" for no points.
 */
export function stepPath(points: readonly Point[], endX: number): string {
  if (points.length === 0) return "";
  const first = points[0]!;
  const parts = [`M${r(first.x)} ${r(first.y)}`];
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    const prev = points[i - 1]!;
    parts.push(`H${r(p.x)}`);
    if (p.y !== prev.y) parts.push(`V${r(p.y)}`);
  }
  parts.push(`H${r(endX)}`);
  return parts.join(" ");
}

/** Closes a line path down to the baseline, for the area under it. */
export function areaPath(line: string, startX: number, baselineY: number): string {
  if (!line) return "";
  return `${line} V${r(baselineY)} H${r(startX)} Z`;
}

/** About `count` evenly spaced instants across [start, end], at whole minutes. */
export function timeTicks(startMs: number, endMs: number, count = 5): number[] {
  if (!(endMs > startMs)) return [startMs];
  const out: number[] = [];
  for (let i = 0; i <= count; i++) out.push(Math.round((startMs + ((endMs - startMs) * i) / count) / 60_000) * 60_000);
  return [...new Set(out)];
}

export interface Row {
  key: string;
  value: number;
  /** Rows folded into an "Other" row. */
  folded?: number;
}

/** The biggest `limit` rows; with more, the last slot becomes "Other" with the rest summed. */
export function topRows<T extends { key: string }>(rows: readonly T[], limit: number, value: (row: T) => number): Row[] {
  const sorted = [...rows].sort((a, b) => value(b) - value(a) || a.key.localeCompare(b.key));
  if (sorted.length <= limit) return sorted.map((row) => ({ key: row.key, value: value(row) }));
  const kept = sorted.slice(0, Math.max(0, limit - 1));
  const rest = sorted.slice(kept.length);
  return [
    ...kept.map((row) => ({ key: row.key, value: value(row) })),
    { key: OTHER_KEY, value: rest.reduce((sum, row) => sum + value(row), 0), folded: rest.length },
  ];
}
export const OTHER_KEY = "\u0000other";

/** Bar lengths scaled to the biggest value (a row of 0 has no bar). */
export function barLengths(values: readonly number[], width: number): number[] {
  const max = Math.max(0, ...values.filter(Number.isFinite));
  return values.map((v) => (max > 0 && v > 0 ? r((v / max) * width) : 0));
}

export interface FunnelStep {
  label: string;
  value: number;
  /** 0-1 of the first step; null when the first step is 0. */
  ofFirst: number | null;
  /** 0-1 of the step before; null for the first step or after a 0. */
  ofPrevious: number | null;
}

/** Each step with its share of the first step and of the step before. */
export function funnelSteps(steps: readonly { label: string; value: number }[]): FunnelStep[] {
  const first = steps[0]?.value ?? 0;
  return steps.map((step, i) => {
    const previous = i > 0 ? steps[i - 1]!.value : 0;
    return {
      label: step.label,
      value: step.value,
      ofFirst: first > 0 ? step.value / first : null,
      ofPrevious: i > 0 && previous > 0 ? step.value / previous : null,
    };
  });
}
