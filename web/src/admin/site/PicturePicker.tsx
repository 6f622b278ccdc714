import { useRef, useState } from "react";
import { ApiError, site, type SitePicture } from "../../api/client";
import type { AdminSiteSettings } from "../../api/types";

interface Props {
  picture: SitePicture;
  label: string;
  url: string | null;
  onSaved: (settings: AdminSiteSettings) => void;
}

/** Upload or remove the site's logo or home page background: saved at once (the server checks and resizes it). */
export function PicturePicker({ picture, label, url, onSaved }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `site-${picture}`;

  async function run(action: () => Promise<AdminSiteSettings>) {
    setBusy(true);
    setError(null);
    try {
      onSaved(await action());
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Could not save the picture.");
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>{label}</label>
      <div className="picture-row">
        {url ? <img src={url} alt="" data-testid={`${id}-image`} /> : <span className="muted small">None</span>}
        <input
          ref={input}
          id={id}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/gif"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void run(() => site.setPicture(picture, file));
          }}
          data-testid={`${id}-input`}
        />
        {url ? (
          <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void run(() => site.clearPicture(picture))}>
            Remove
          </button>
        ) : null}
      </div>
      {error ? <div className="field-error" role="alert" data-testid={`${id}-error`}>{error}</div> : null}
    </div>
  );
}
