import { areaPath, linePath, linearScale } from "../analytics/charts/chartMath";
import { formatBitrate, type BitrateSample } from "./liveView";

const W = 300;
const H = 56;
const PAD = 3;

/** The ingest bitrate of the last two minutes as a small area chart (a drop to 0 is a gap in the stream). */
export function BitrateSparkline({ samples, windowMs = 120_000 }: { samples: BitrateSample[]; windowMs?: number }) {
  const end = samples[samples.length - 1]?.t ?? Date.now();
  const max = Math.max(1, ...samples.map((s) => s.kbps));
  const x = linearScale([end - windowMs, end], [PAD, W - PAD]);
  const y = linearScale([0, max * 1.1], [H - PAD, PAD]);
  const line = linePath(samples.map((s) => ({ x: x(s.t), y: y(s.kbps) })));
  const area = samples.length > 1 ? areaPath(line, x(samples[0]!.t), y(0)) : "";
  const latest = samples[samples.length - 1]?.kbps ?? null;
  const summary = samples.length > 0 ? `now ${formatBitrate(latest)}, peak ${formatBitrate(max === 1 && latest === 0 ? 0 : max)}` : "no samples yet";
  return (
    <svg
      className="chart sparkline"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Bitrate, last 2 minutes: ${summary}`}
      data-testid="bitrate-sparkline"
      data-samples={samples.length}
      data-latest={latest ?? ""}
    >
      <title>{`Bitrate, last 2 minutes: ${summary}`}</title>
      <line className="sparkline-base" x1={PAD} x2={W - PAD} y1={y(0)} y2={y(0)} />
      {area ? <path className="chart-area" d={area} /> : null}
      {line ? <path className="chart-line" d={line} /> : null}
    </svg>
  );
}
