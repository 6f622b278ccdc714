import { useState, type FormEvent } from "react";
import { ApiError, media as mediaApi } from "../../../api/client";
import type { MediaAsset } from "../../../api/types";
import { formatMediaTime } from "../../../lib/time";

interface Props {
  eventId: string;
  duration: number;
  onPicked: (media: MediaAsset) => void;
}

const MAX_WIDTH = 1920;

/** A photo straight off a phone is several MB: the browser shrinks it to a JPEG of at most 1920 px wide. */
async function shrinkImage(file: File): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_WIDTH / bitmap.width);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no image"))), "image/jpeg", 0.88),
  );
}

/** Choose the poster: the frame at a time in the video (the transcode took the one at 10 %), or an image. */
export function PosterPicker({ eventId, duration, onPicked }: Props) {
  const [atText, setAtText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  async function upload(file: File) {
    setNotice(null);
    setError(null);
    setBusy(true);
    try {
      const image = await shrinkImage(file).catch(() => {
        throw new ApiError(400, "poster_not_an_image", "This file is not an image we can read (use JPEG, PNG or WebP).");
      });
      onPicked(await mediaApi.uploadPoster(eventId, image));
      setNotice(`${file.name} is the poster now.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Could not upload the poster.");
    } finally {
      setBusy(false);
    }
  }

  async function pick(e: FormEvent) {
    e.preventDefault();
    const at = Number(atText.replace(",", "."));
    setNotice(null);
    if (atText.trim() === "" || !Number.isFinite(at) || at < 0 || at > duration) {
      setError(`Enter a time between 0 and ${duration.toFixed(1)} seconds.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onPicked(await mediaApi.pickPoster(eventId, at));
      setNotice(`The frame at ${formatMediaTime(at)} is the poster now.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.fields.at ?? err.message : "Could not change the poster.");
    } finally {
      setBusy(false);
    }
  }

  // A <div>, not a <form>: the editor around it is a form already.
  return (
    <div className="poster-picker" data-testid="poster-picker">
      <label className="field-label" htmlFor="poster-at">Poster: the frame at (seconds)</label>
      <div className="poster-picker-row">
        <input
          id="poster-at"
          inputMode="decimal"
          value={atText}
          placeholder={`e.g. ${(duration / 2).toFixed(1)}`}
          onChange={(e) => setAtText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") void pick(e);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "poster-at-error" : undefined}
          data-testid="poster-at"
        />
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={(e) => void pick(e)} data-testid="poster-pick">
          {busy ? "Taking the frame…" : "Use this frame"}
        </button>
      </div>
      <label className="btn btn-ghost btn-small poster-upload" data-testid="poster-upload-label">
        Or upload an image
        <input
          type="file"
          accept="image/jpeg,image/png,image/webp"
          className="visually-hidden"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) void upload(file);
          }}
          data-testid="poster-file-input"
        />
      </label>
      {error ? <div className="field-error" id="poster-at-error" role="alert" data-testid="poster-error">{error}</div> : null}
      {notice ? <div className="small muted" role="status" data-testid="poster-notice">{notice}</div> : null}
    </div>
  );
}
