import { useEffect, useRef, useState } from "react";
import { ApiError, media as mediaApi } from "../../../api/client";
import type { MediaStatus } from "../../../api/types";
import { Spinner } from "../../../shared/Status";
import { useConfirm } from "../../dialog/ConfirmDialog";
import { EditorSection } from "../EditorSection";
import { MediaDetails } from "./MediaDetails";
import { MediaPreview } from "./MediaPreview";
import { PosterPicker } from "./PosterPicker";
import { RenditionsTable } from "./RenditionsTable";
import { UploadPicker } from "./UploadPicker";
import { UploadProgress } from "./UploadProgress";
import { useEventMedia } from "./useEventMedia";
import { useMediaUpload } from "./useMediaUpload";

interface Props {
  eventId: string;
  canDelete: boolean;
  /** Called when the video's status changes, so the activity timeline can refresh. */
  onMediaChange: () => void;
}

/** The on-demand event's video: upload, transcode progress, renditions, preview, replace and delete. */
export function MediaPanel({ eventId, canDelete, onMediaChange }: Props) {
  const { state, reload } = useEventMedia(eventId);
  const uploader = useMediaUpload(eventId, reload);
  const [replacing, setReplacing] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const { confirm, dialog } = useConfirm();
  const lastStatus = useRef<MediaStatus | null>(null);
  const { upload } = uploader;
  const uploading = upload.phase === "starting" || upload.phase === "uploading" || upload.phase === "paused";

  const status = state.kind === "loaded" ? state.media.status : null;
  useEffect(() => {
    if (lastStatus.current !== null && status !== lastStatus.current) onMediaChange();
    lastStatus.current = status;
  }, [status, onMediaChange]);

  useEffect(() => {
    if (upload.phase === "done") setReplacing(false);
  }, [upload.phase]);

  async function remove() {
    const confirmed = await confirm({
      title: "Delete this video?",
      message: "Viewers will no longer be able to watch it.",
      confirmLabel: "Delete video",
      danger: true,
    });
    if (!confirmed) return;
    setDeleting(true);
    setActionError(null);
    try {
      await mediaApi.remove(eventId);
      uploader.reset();
      reload();
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : "Could not delete the video.");
    } finally {
      setDeleting(false);
    }
  }

  const startUpload = (file: File) => {
    setActionError(null);
    uploader.start(file);
  };

  const media = state.kind === "loaded" ? state.media : null;
  const showPicker = !uploading && (state.kind === "none" || replacing || media?.status === "failed");

  return (
    <EditorSection title="Video" description="The recording viewers watch on demand." testId="media-panel">
      {state.kind === "loading" ? <Spinner label="Loading the video…" /> : null}
      {state.kind === "error" ? <p className="text-danger" role="alert">{state.message}</p> : null}
      {actionError ? <div className="alert alert-error" role="alert" data-testid="media-action-error">{actionError}</div> : null}
      {dialog}
      {upload.phase === "failed" && upload.error ? (
        <div className="alert alert-error" role="alert" data-testid="upload-error">{upload.error}</div>
      ) : null}

      {uploading ? <UploadProgress uploader={uploader} /> : null}

      {media && !uploading ? (
        <>
          <MediaDetails media={media} />
          {media.status === "ready" ? (
            <>
              <MediaPreview eventId={eventId} version={media.updatedAt} />
              {media.duration ? <PosterPicker eventId={eventId} duration={media.duration} onPicked={() => reload()} /> : null}
              <RenditionsTable renditions={media.renditions} />
            </>
          ) : null}
        </>
      ) : null}

      {state.kind === "none" && !uploading ? <p className="muted" data-testid="media-empty">No video yet. Upload the recording viewers will watch.</p> : null}

      {showPicker ? (
        <UploadPicker label={media ? "Choose the new video" : "Choose a video to upload"} unfinished={uploader.unfinished} onFile={startUpload} />
      ) : null}

      {media && !uploading ? (
        <div className="button-row media-actions">
          {media.status !== "failed" && !replacing ? (
            <button type="button" className="btn btn-secondary" onClick={() => setReplacing(true)} data-testid="media-replace">Replace video</button>
          ) : null}
          {replacing ? (
            <button type="button" className="btn btn-ghost" onClick={() => setReplacing(false)}>Keep the current video</button>
          ) : null}
          {canDelete ? (
            <button type="button" className="btn btn-danger-outline" onClick={remove} disabled={deleting} data-testid="media-delete">
              {deleting ? "Deleting…" : "Delete video"}
            </button>
          ) : null}
        </div>
      ) : null}
    </EditorSection>
  );
}
