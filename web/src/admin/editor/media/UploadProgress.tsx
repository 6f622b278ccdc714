import { ProgressBar } from "../../../shared/ProgressBar";
import { formatBytes, percentOf } from "./mediaFormat";
import type { MediaUploader } from "./useMediaUpload";

/** The running upload: bytes sent, and pause / resume / cancel. */
export function UploadProgress({ uploader }: { uploader: MediaUploader }) {
  const { upload, pause, resume, cancel } = uploader;
  const percent = percentOf(upload.sentBytes, upload.totalBytes);
  const paused = upload.phase === "paused";
  return (
    <div className="upload-progress" data-testid="upload-progress" data-phase={upload.phase}>
      <div className="small">
        {paused ? "Paused" : upload.phase === "starting" ? "Starting" : "Uploading"} <strong>{upload.filename}</strong>{" "}
        <span className="muted">
          {formatBytes(upload.sentBytes)} of {formatBytes(upload.totalBytes)}
          {upload.resumed ? " · resumed" : ""}
        </span>
      </div>
      <ProgressBar percent={percent} label="Upload progress" testId="upload-progress-bar" />
      <div className="button-row">
        {paused ? (
          <button type="button" className="btn btn-secondary btn-small" onClick={resume} data-testid="upload-resume">Resume</button>
        ) : (
          <button type="button" className="btn btn-secondary btn-small" onClick={pause} disabled={upload.phase === "starting"} data-testid="upload-pause">Pause</button>
        )}
        <button type="button" className="btn btn-ghost btn-small text-danger" onClick={cancel} data-testid="upload-cancel">Cancel</button>
      </div>
    </div>
  );
}
