import type { MediaStatus } from "../../../api/types";
import { MEDIA_STATUS_LABELS } from "./mediaFormat";

export function MediaStatusBadge({ status }: { status: MediaStatus }) {
  return (
    <span className={`media-status media-status-${status}`} data-testid="media-status" data-status={status}>
      {MEDIA_STATUS_LABELS[status] ?? status}
    </span>
  );
}
