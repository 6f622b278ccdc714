import type { LiveInputState } from "../../api/types";
import { LIVE_STATE_HINTS, LIVE_STATE_LABELS } from "./liveView";

/** Whether the ingest receives the encoder: idle, receiving, reconnecting, ended. */
export function LiveStateBadge({ state }: { state: LiveInputState }) {
  return (
    <span className={`badge ingest-badge ingest-${state}`} title={LIVE_STATE_HINTS[state]} data-testid="ingest-state" data-state={state}>
      {state === "connected" ? <span className="live-dot" aria-hidden="true" /> : null}
      {LIVE_STATE_LABELS[state] ?? state}
    </span>
  );
}
