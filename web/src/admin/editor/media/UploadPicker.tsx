import type { UnfinishedUpload } from "../../../api/client";
import { formatBytes } from "./mediaFormat";

interface Props {
  label: string;
  unfinished: UnfinishedUpload[];
  onFile: (file: File) => void;
}

/** The file chooser for a video, with a note when an interrupted upload can be resumed. */
export function UploadPicker({ label, unfinished, onFile }: Props) {
  const pending = unfinished[0];
  return (
    <div>
      {pending ? (
        <p className="alert alert-warning" data-testid="unfinished-upload">
          The upload of “{pending.filename}” ({formatBytes(pending.size)}) was interrupted. Choose the same file to resume it.
        </p>
      ) : null}
      <label className="upload-drop" data-testid="media-dropzone">
        <strong>{label}</strong>
        <span className="muted small"> MP4, MOV, MKV or WebM</span>
        <input
          type="file"
          accept="video/*,.mkv,.mov"
          data-testid="media-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) onFile(file);
          }}
        />
      </label>
    </div>
  );
}
