// What the dashboard's charts say to screen readers, and the data each chart draws, from the API's figures.
import type { AnalyticsFunnel, BreakdownRow, ConcurrencyPoint } from "../../api/types";
import { OTHER_KEY, funnelSteps, topRows, type FunnelStep } from "./charts/chartMath";
import type { Bar } from "./charts/BarChart";
import type { TimePoint } from "./charts/TimeSeriesChart";
import { categoryLabel, formatCount, formatDuration, formatRatio, plural } from "./format";

export const MAX_BARS = 8;

export type Dimension = "deviceType" | "browser" | "os" | "country" | "rendition";

/** A breakdown's bars by sessions (the biggest MAX_BARS, the rest as "Other"), with the watch time. */
export function breakdownBars(dimension: Dimension, rows: BreakdownRow[], locale?: string): Bar[] {
  const top = topRows(rows, MAX_BARS, (row) => row.sessions);
  const kept = new Set(top.map((row) => row.key));
  const watch = new Map(rows.map((row) => [row.key, row.watchSeconds]));
  const foldedWatch = rows.filter((row) => !kept.has(row.key)).reduce((sum, row) => sum + row.watchSeconds, 0);
  return top.map((row) => {
    const folded = row.key === OTHER_KEY;
    return {
      key: row.key,
      label: folded ? `Other (${row.folded})` : categoryLabel(dimension, row.key, locale),
      value: row.value,
      detail: formatDuration(folded ? foldedWatch : (watch.get(row.key) ?? 0)),
    };
  });
}

/** "Desktop 3 sessions, Mobile 1 session". */
export function barsSummary(bars: Bar[], unit: string, locale?: string): string {
  if (bars.length === 0) return "no data";
  return bars.map((bar) => `${bar.label} ${plural(bar.value, unit, undefined, locale)}`).join(", ");
}

export function timelinePoints(timeline: ConcurrencyPoint[]): TimePoint[] {
  return timeline.map((point) => ({ t: Date.parse(point.at), value: point.viewers })).filter((p) => Number.isFinite(p.t));
}

/** "Peak 3 viewers at 10:04; 1,440 points from 10:00 to 10:00". */
export function timelineSummary(points: TimePoint[], formatTime: (ms: number) => string, locale?: string): string {
  if (points.length === 0) return "no data";
  const peak = points.reduce((best, p) => (p.value > best.value ? p : best), points[0]!);
  const last = points[points.length - 1]!;
  return (
    `peak ${plural(peak.value, "viewer", undefined, locale)} at ${formatTime(peak.t)}, ` +
    `${plural(last.value, "viewer", undefined, locale)} at the end; ` +
    `${formatCount(points.length, locale)} points from ${formatTime(points[0]!.t)} to ${formatTime(last.t)}`
  );
}

export function funnelOf(funnel: AnalyticsFunnel): FunnelStep[] {
  return funnelSteps([
    { label: "Page visits", value: funnel.pageVisits },
    { label: "Gate passed", value: funnel.gatePassed },
    ...(funnel.paid === null ? [] : [{ label: "Paid", value: funnel.paid }]),
    { label: "Played", value: funnel.played },
  ]);
}

/** "Page visits 10, Gate passed 8 (80% of visits), …". */
export function funnelSummary(steps: FunnelStep[], locale?: string): string {
  return steps
    .map((s, i) => `${s.label} ${formatCount(s.value, locale)}${i > 0 ? ` (${formatRatio(s.ofFirst, locale)} of visits)` : ""}`)
    .join(", ");
}
