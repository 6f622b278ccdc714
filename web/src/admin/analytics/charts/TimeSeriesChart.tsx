import { areaPath, linearScale, niceTicks, stepPath, timeTicks } from "./chartMath";

export interface TimePoint {
  /** milliseconds since the epoch */
  t: number;
  value: number;
}

interface Props {
  points: TimePoint[];
  /** How long each point's value holds (its bucket's width). */
  stepMs: number;
  title: string;
  /** The figures for screen readers (the chart's aria-label and <title>). */
  summary: string;
  formatTime: (ms: number) => string;
  formatValue?: (value: number) => string;
  testId?: string;
}

const W = 900;
const H = 240;
const M = { top: 14, right: 14, bottom: 28, left: 44 };

/** An area chart of a count over time, drawn as steps (each point holds until the next). */
export function TimeSeriesChart({ points, stepMs, title, summary, formatTime, formatValue = String, testId }: Props) {
  const start = points[0]?.t ?? 0;
  const end = (points[points.length - 1]?.t ?? 0) + stepMs;
  const max = Math.max(0, ...points.map((p) => p.value));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const x = linearScale([start, end], [M.left, W - M.right]);
  const y = linearScale([0, top], [H - M.bottom, M.top]);
  const line = stepPath(points.map((p) => ({ x: x(p.t), y: y(p.value) })), x(end));
  const area = areaPath(line, x(start), y(0));
  const peak = points.reduce<TimePoint | null>((best, p) => (best === null || p.value > best.value ? p : best), null);

  return (
    <svg
      className="chart chart-time"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${title}: ${summary}`}
      data-testid={testId}
      data-points={points.length}
      data-max={max}
    >
      <title>{`${title}: ${summary}`}</title>
      <g className="chart-grid" aria-hidden="true">
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={M.left} x2={W - M.right} y1={y(tick)} y2={y(tick)} />
            <text x={M.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
              {formatValue(tick)}
            </text>
          </g>
        ))}
        {timeTicks(start, end, 5).map((t, i, all) => (
          <text
            key={t}
            x={x(t)}
            y={H - 8}
            textAnchor={i === 0 ? "start" : i === all.length - 1 ? "end" : "middle"}
          >
            {formatTime(t)}
          </text>
        ))}
      </g>
      <path className="chart-area" d={area} data-testid={testId ? `${testId}-area` : undefined} />
      <path className="chart-line" d={line} data-testid={testId ? `${testId}-line` : undefined} />
      {peak && peak.value > 0 ? (
        <circle
          className="chart-peak"
          cx={x(peak.t + stepMs / 2)}
          cy={y(peak.value)}
          r={4.5}
          data-testid={testId ? `${testId}-peak` : undefined}
          data-value={peak.value}
        >
          <title>{`Peak ${formatValue(peak.value)} at ${formatTime(peak.t)}`}</title>
        </circle>
      ) : null}
    </svg>
  );
}
