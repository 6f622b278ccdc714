import type { MediaAsset } from "../../../api/types";
import { formatMediaTime, formatShortDateTime } from "../../../lib/time";
import { ProgressBar } from "../../../shared/ProgressBar";
import { clampPercent, isMediaBusy } from "./mediaFormat";
import { MediaStatusBadge } from "./MediaStatusBadge";

/** Poster, status, duration and the transcode's progress of the event's video. */
export function MediaDetails({ media }: { media: MediaAsset }) {
  return (
    <div data-testid="media-details">
      <div className="media-summary">
        {media.posterUrl ? <img className="media-poster" src={media.posterUrl} alt="Video poster" data-testid="media-poster" /> : null}
        <dl className="media-facts">
          <dt>Status</dt>
          <dd><MediaStatusBadge status={media.status} /></dd>
          <dt>Duration</dt>
          <dd data-testid="media-duration">{media.duration != null ? formatMediaTime(media.duration) : "—"}</dd>
          <dt>Uploaded</dt>
          <dd>{formatShortDateTime(media.createdAt)}</dd>
        </dl>
      </div>
      {isMediaBusy(media.status) ? (
        <>
          <div className="small muted">{media.status === "uploaded" ? "Waiting to transcode…" : "Transcoding into streaming qualities…"}</div>
          <ProgressBar percent={clampPercent(media.progress)} label="Transcoding progress" testId="transcode-progress" variant="transcode" />
        </>
      ) : null}
      {media.status === "failed" ? (
        <div className="alert alert-error" role="alert" data-testid="media-error">
          Transcoding failed{media.error ? `: ${media.error}` : "."} Upload the video again to retry.
        </div>
      ) : null}
    </div>
  );
}
