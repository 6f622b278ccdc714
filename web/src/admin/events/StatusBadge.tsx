import type { EventStatus } from "../../api/types";
import { STATUS_LABELS } from "../../lib/eventStatus";

export function StatusBadge({ status }: { status: EventStatus }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge" data-status={status}>
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}
