import { useState } from "react";
import { ApiError, live } from "../../api/client";
import type { LiveInput } from "../../api/types";
import { CopyButton } from "../CopyButton";
import { useConfirm } from "../dialog/ConfirmDialog";
import { maskKey, publishUrl } from "./liveView";

interface Props {
  eventId: string;
  input: LiveInput;
  onRotated: (input: LiveInput) => void;
}

const ROTATE_QUESTION = {
  title: "Rotate the stream key?",
  message: "The current key stops working at once: an encoder streaming with it is cut off and cannot reconnect until you give it the new key.",
  confirmLabel: "Rotate key",
  danger: true,
};

/** Where the encoder publishes: server URL, stream key (hidden until revealed), the joined URL, and key rotation. */
export function StreamCredentials({ eventId, input, onRotated }: Props) {
  const [revealed, setRevealed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { confirm, dialog } = useConfirm();
  const fullUrl = publishUrl(input.rtmpUrl, input.streamKey);
  const shownUrl = revealed ? fullUrl : publishUrl(input.rtmpUrl, maskKey(input.streamKey));

  async function rotate() {
    if (!(await confirm(ROTATE_QUESTION))) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      onRotated(await live.rotateKey(eventId));
      setRevealed(true);
      setNotice("New stream key created. The old key no longer works: update your encoder.");
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Could not rotate the key.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card live-section" aria-labelledby="credentials-title" data-testid="stream-credentials">
      <h2 id="credentials-title">Stream to</h2>
      {dialog}
      <div className="credential">
        <label className="field-label" htmlFor="rtmp-url">Server (RTMP URL)</label>
        <div className="credential-row">
          <input id="rtmp-url" readOnly value={input.rtmpUrl} data-testid="rtmp-url" className="mono" onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={input.rtmpUrl} testId="copy-rtmp-url" />
        </div>
      </div>
      <div className="credential">
        <label className="field-label" htmlFor="stream-key">Stream key</label>
        <div className="credential-row">
          <input
            id="stream-key"
            readOnly
            type={revealed ? "text" : "password"}
            value={input.streamKey}
            data-testid="stream-key"
            data-revealed={revealed}
            className="mono"
            autoComplete="off"
            onFocus={(e) => e.currentTarget.select()}
          />
          <button type="button" className="btn btn-secondary btn-small" onClick={() => setRevealed((r) => !r)} aria-pressed={revealed} data-testid="reveal-key">
            {revealed ? "Hide" : "Reveal"}
          </button>
          <CopyButton text={input.streamKey} testId="copy-stream-key" />
        </div>
        <p className="field-hint">Anyone with the key can stream to this event. Keep it secret.</p>
      </div>
      <div className="credential">
        <label className="field-label" htmlFor="publish-url">Full publish URL</label>
        <div className="credential-row">
          <input id="publish-url" readOnly value={shownUrl} data-testid="publish-url" className="mono" />
          <CopyButton text={fullUrl} testId="copy-publish-url" />
        </div>
        <p className="field-hint">For encoders that take one URL (ffmpeg, hardware encoders).</p>
      </div>
      {input.srtUrl ? (
        <div className="credential">
          <label className="field-label" htmlFor="srt-url">SRT URL</label>
          <div className="credential-row">
            <input id="srt-url" readOnly type={revealed ? "text" : "password"} value={input.srtUrl} data-testid="srt-url" className="mono" />
            <CopyButton text={input.srtUrl} testId="copy-srt-url" />
          </div>
        </div>
      ) : null}
      {error ? <p className="field-error" role="alert" data-testid="rotate-error">{error}</p> : null}
      {notice ? <div className="alert alert-success" role="status" data-testid="rotate-notice">{notice}</div> : null}
      <div className="credential-actions">
        <button type="button" className="btn btn-danger-outline btn-small" onClick={rotate} disabled={busy} data-testid="rotate-key">
          {busy ? "Rotating…" : "Rotate stream key"}
        </button>
        <span className="muted small">The old key stops working at once.</span>
      </div>
    </section>
  );
}
