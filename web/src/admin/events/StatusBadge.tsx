import type { EventStatus, EventType } from "../../api/types";
import { statusLabel, statusTone } from "../../lib/eventStatus";

/** The event's status in words that fit its kind: a published video is "Published", not "Live". */
export function StatusBadge({ status, eventType }: { status: EventStatus; eventType: EventType }) {
  return (
    <span className={`badge badge-${statusTone(status, eventType)}`} data-testid="status-badge" data-status={status}>
      {statusLabel(status, eventType)}
    </span>
  );
}
