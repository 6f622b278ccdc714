import { VIEWER_STATUS_LABELS, type ViewerStatus } from "../lib/eventStatus";

/** Upcoming / LIVE (red) / Ended / Replay. */
export function StatusLabel({ status }: { status: ViewerStatus }) {
  return (
    <span className={`status-label status-label-${status}`} data-testid="status-label" data-status={status}>
      {status === "live" ? <span className="live-dot" aria-hidden="true" /> : null}
      {VIEWER_STATUS_LABELS[status]}
    </span>
  );
}
