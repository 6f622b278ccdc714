import { useEffect, useState, type FormEvent } from "react";
import { ApiError, live } from "../../api/client";
import type { LiveRecording } from "../../api/types";
import { formatMediaTime } from "../../lib/time";
import { Field, describedBy } from "../../shared/Field";
import { formatDuration } from "../analytics/format";
import { MediaStatusBadge } from "../editor/media/MediaStatusBadge";
import { useEventMedia } from "../editor/media/useEventMedia";
import { validateTrim, type TrimForm } from "./liveView";

const RECORDING_POLL_MS = 5000;

interface Props {
  eventId: string;
  recording: LiveRecording;
}

/**
 * After the event: the replay starts as the whole recording (from the moment the encoder connected); the trim
 * cuts the waiting before the show and anything after it. The recording itself is kept, so it can be redone.
 */
export function ReplayTrimForm({ eventId, recording }: Props) {
  const [form, setForm] = useState<TrimForm>({ start: "", end: "" });
  const [errors, setErrors] = useState<Partial<Record<keyof TrimForm, string>>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { state: replay, reload } = useEventMedia(eventId);
  // Trim times are seconds into the recording, not into the current (maybe already trimmed) replay.
  const duration = recording.durationSeconds;
  const wentLive = recording.wentLiveAtSeconds;

  useEffect(() => {
    // Until the recording has become a replay there is nothing to read: look again every few seconds.
    if (replay.kind !== "none") return;
    const timer = window.setTimeout(reload, RECORDING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [replay, reload]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    setMessage(null);
    const result = validateTrim(form, duration);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await live.trimReplay(eventId, result.body);
      const span = `${formatMediaTime(result.body.startSeconds)} to ${result.body.endSeconds == null ? "the end" : formatMediaTime(result.body.endSeconds)}`;
      setNotice(`Making the replay from ${span} of the recording. The current replay keeps playing until the new one is ready.`);
      reload();
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors({ start: err.fields.startSeconds, end: err.fields.endSeconds });
        setMessage(err.message);
      } else {
        setMessage("Could not trim the replay.");
      }
    } finally {
      setBusy(false);
    }
  }

  const set = (patch: Partial<TrimForm>) => setForm((f) => ({ ...f, ...patch }));

  return (
    <section className="card live-section" aria-labelledby="trim-title" data-testid="replay-trim">
      <h2 id="trim-title">Trim the replay</h2>
      <p className="muted small" data-testid="trim-explainer">
        The recording starts the moment your encoder connected, so the waiting before you went live is in it, and
        the replay plays all of it until you trim it. Times are from the start of the recording
        {duration != null ? <> (it is <strong data-testid="recording-length">{formatMediaTime(duration)}</strong> long)</> : null}.
        {wentLive != null ? <> The event went live at <strong data-testid="went-live-at">{formatMediaTime(wentLive)}</strong>.</> : null}
      </p>
      {wentLive != null ? (
        <p>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => set({ start: formatMediaTime(wentLive) })} data-testid="trim-from-live">
            Start where the event went live ({formatMediaTime(wentLive)})
          </button>
        </p>
      ) : null}
      <p className="replay-status small" data-testid="replay-status">
        {replay.kind === "loaded" ? (
          <>
            Replay <MediaStatusBadge status={replay.media.status} />
            {replay.media.duration != null ? <span> · {formatDuration(replay.media.duration)} long</span> : null}
            {replay.media.status === "processing" ? <span> · {Math.round(replay.media.progress)}%</span> : null}
          </>
        ) : replay.kind === "none" ? (
          <span className="muted">The recording is being turned into a replay…</span>
        ) : replay.kind === "error" ? (
          <span className="text-danger">{replay.message}</span>
        ) : null}
      </p>
      <form className="trim-form" onSubmit={submit} noValidate>
        <Field id="trim-start" label="Replay starts at" error={errors.start} errorTestId="trim-start-error" hint="Seconds or m:ss. Empty: 0:00.">
          <input id="trim-start" inputMode="decimal" placeholder="0:00" value={form.start} onChange={(e) => set({ start: e.target.value })} data-testid="trim-start" {...describedBy("trim-start", errors.start, true)} />
        </Field>
        <Field id="trim-end" label="Replay ends at" error={errors.end} errorTestId="trim-end-error" hint="Empty: the end.">
          <input id="trim-end" inputMode="decimal" placeholder="end" value={form.end} onChange={(e) => set({ end: e.target.value })} data-testid="trim-end" {...describedBy("trim-end", errors.end, true)} />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="trim-submit">
          {busy ? "Saving…" : "Make the replay"}
        </button>
      </form>
      {message ? <p className="field-error" role="alert" data-testid="trim-error">{message}</p> : null}
      {notice ? <div className="alert alert-success" role="status" data-testid="trim-notice">{notice}</div> : null}
    </section>
  );
}
