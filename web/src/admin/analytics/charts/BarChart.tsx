import { barLengths } from "./chartMath";

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Text after the value, e.g. the watch time. */
  detail?: string;
}

interface Props {
  bars: Bar[];
  title: string;
  /** The figures for screen readers (the chart's aria-label and <title>). */
  summary: string;
  formatValue?: (value: number) => string;
  testId?: string;
  width?: number;
}

const ROW = 36;

/** Horizontal bars with the label above each bar and the value at its right end. */
export function BarChart({ bars, title, summary, formatValue = String, testId, width = 320 }: Props) {
  const lengths = barLengths(bars.map((b) => b.value), width);
  const height = bars.length * ROW;
  return (
    <svg
      className="chart chart-bars"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${title}: ${summary}`}
      data-testid={testId}
      data-bars={bars.length}
    >
      <title>{`${title}: ${summary}`}</title>
      {bars.map((bar, i) => {
        const top = i * ROW;
        return (
          <g key={bar.key} data-testid="chart-bar" data-key={bar.key} data-value={bar.value}>
            <text className="chart-label" x={0} y={top + 13}>
              {bar.label}
            </text>
            <text className="chart-value" x={width} y={top + 13} textAnchor="end">
              {formatValue(bar.value)}
              {bar.detail ? <tspan className="chart-detail">{` · ${bar.detail}`}</tspan> : null}
            </text>
            <rect className="chart-track" x={0} y={top + 19} width={width} height={10} rx={3} />
            <rect className="chart-bar" x={0} y={top + 19} width={lengths[i]} height={10} rx={3} />
          </g>
        );
      })}
    </svg>
  );
}
