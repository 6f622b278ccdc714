import { barLengths, type FunnelStep } from "./chartMath";

interface Props {
  steps: FunnelStep[];
  title: string;
  summary: string;
  formatValue: (value: number) => string;
  formatShare: (ratio: number | null) => string;
  testId?: string;
}

const W = 520;
const ROW = 44;
const LABEL = 120;
const VALUE = 110;

/** A horizontal funnel: one centred bar per step, as wide as its count, with its share of the first step. */
export function FunnelChart({ steps, title, summary, formatValue, formatShare, testId }: Props) {
  const track = W - LABEL - VALUE;
  const lengths = barLengths(steps.map((s) => s.value), track);
  const centre = LABEL + track / 2;
  return (
    <svg
      className="chart chart-funnel"
      viewBox={`0 0 ${W} ${steps.length * ROW}`}
      role="img"
      aria-label={`${title}: ${summary}`}
      data-testid={testId}
    >
      <title>{`${title}: ${summary}`}</title>
      {steps.map((step, i) => {
        const top = i * ROW;
        const len = Math.max(lengths[i] ?? 0, step.value > 0 ? 2 : 0);
        return (
          <g key={step.label} data-testid="funnel-step" data-value={step.value}>
            <text className="chart-label" x={0} y={top + ROW / 2} dy="0.32em">
              {step.label}
            </text>
            <rect className="chart-track" x={LABEL} y={top + 6} width={track} height={ROW - 12} rx={4} />
            <rect
              className={`chart-bar funnel-bar funnel-bar-${i}`}
              x={centre - len / 2}
              y={top + 6}
              width={len}
              height={ROW - 12}
              rx={4}
            />
            <text className="chart-value" x={W} y={top + ROW / 2 - 7} dy="0.32em" textAnchor="end">
              {formatValue(step.value)}
            </text>
            <text className="chart-detail" x={W} y={top + ROW / 2 + 8} dy="0.32em" textAnchor="end">
              {i === 0 ? "" : `${formatShare(step.ofFirst)} of visits`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
