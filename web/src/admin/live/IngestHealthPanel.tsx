import type { IngestHealth } from "../../api/types";
import { BitrateSparkline } from "./BitrateSparkline";
import { formatAgo, healthTiles, keyframeWarning, type BitrateSample } from "./liveView";

/** The encoder's signal as the ingest measures it, refreshed with every poll. */
export function IngestHealthPanel({ health, history }: { health: IngestHealth; history: BitrateSample[] }) {
  const warning = keyframeWarning(health.keyframeIntervalSeconds);
  return (
    <section className="card live-section" aria-labelledby="health-title" data-testid="ingest-health" data-connected={health.connected}>
      <div className="live-section-head">
        <h2 id="health-title">Ingest health</h2>
        <span className="muted small" data-testid="health-last-media">
          {health.lastMediaAt ? `Last media ${formatAgo(health.lastMediaAt, Date.now())}` : "No media received yet"}
        </span>
      </div>
      {warning ? (
        <div className="alert alert-warning" role="status" data-testid="keyframe-warning">
          {warning}
        </div>
      ) : null}
      <div className="health-grid" aria-live="polite">
        {healthTiles(health).map((tile) => (
          <div key={tile.id} className={`health-tile tone-${tile.tone}`} data-testid={`health-${tile.id}`} data-tone={tile.tone}>
            <div className="health-label">{tile.label}</div>
            <div className="health-value" data-testid={`health-${tile.id}-value`}>{tile.value}</div>
            {tile.hint ? <div className="health-hint">{tile.hint}</div> : null}
          </div>
        ))}
      </div>
      <div className="sparkline-wrap">
        <div className="health-label">Bitrate, last 2 minutes</div>
        <BitrateSparkline samples={history} />
      </div>
    </section>
  );
}
