import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError, events } from "../../api/client";
import type { AdminEvent, EventStatus } from "../../api/types";
import { formatDateTime } from "../../lib/time";
import { TRANSITION_LABELS } from "../../lib/eventStatus";
import { ErrorMessage, PageLoading, Spinner } from "../../shared/Status";
import { formatCount } from "../analytics/format";
import { useConfirm, type ConfirmRequest } from "../dialog/ConfirmDialog";
import { StatusBadge } from "../events/StatusBadge";
import { EncoderSettings } from "./EncoderSettings";
import { IngestHealthPanel } from "./IngestHealthPanel";
import { LivePreview } from "./LivePreview";
import { LiveStateBadge } from "./LiveStateBadge";
import { controlRoomMoves } from "./liveView";
import { ReplayTrimForm } from "./ReplayTrimForm";
import { StreamCredentials } from "./StreamCredentials";
import { ConsoleChat } from "./chat/ConsoleChat";
import { useLiveInput } from "./useLiveInput";
import "./live.css";

const MOVE_LABELS: Partial<Record<EventStatus, string>> = { ended: "End event" };

/** The question a move asks first, if any. */
function moveQuestion(to: EventStatus, encoderConnected: boolean): ConfirmRequest | null {
  if (to === "ended") {
    return {
      title: "End the event?",
      message: "Viewers see that it has ended, the encoder is disconnected and the stream key stops accepting video.",
      confirmLabel: "End event",
      danger: true,
    };
  }
  if (to === "live" && !encoderConnected) {
    return {
      title: "Go live without an encoder?",
      message: "Your encoder is not connected yet. Viewers will wait for the stream to start.",
      confirmLabel: "Go live anyway",
    };
  }
  return null;
}

/** /admin/events/:eventId/live: stream credentials, encoder settings, ingest health, preview, go live and end. */
export default function LiveControlPage() {
  const { eventId = "" } = useParams();
  const [event, setEvent] = useState<AdminEvent | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { confirm, dialog } = useConfirm();
  const isLiveEvent = event?.eventType === "live";
  const { input, error: inputError, history, replace } = useLiveInput(isLiveEvent ? eventId : "");

  useEffect(() => {
    const controller = new AbortController();
    events
      .get(eventId, controller.signal)
      .then((loaded) => {
        setEvent(loaded);
        document.title = `Live control · ${loaded.title} · GoLive`;
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError) setLoadError(err.status === 404 ? "This event does not exist or was deleted." : err.message);
      });
    return () => controller.abort();
  }, [eventId]);

  // The ingest moves the event too (auto start when the stream arrives, auto end when it does not come
  // back): read the event again whenever the ingest changes state or the stream becomes playable.
  const ingestState = input?.state;
  const streamReady = Boolean(input?.previewUrl);
  const reloadEvent = useCallback(() => {
    events
      .get(eventId)
      .then(setEvent)
      .catch(() => undefined); // the next change tries again; the page keeps what it has
  }, [eventId]);
  useEffect(() => {
    if (ingestState !== undefined) reloadEvent();
  }, [ingestState, streamReady, reloadEvent]);

  async function move(to: EventStatus) {
    if (!event) return;
    const question = moveQuestion(to, input?.health.connected ?? false);
    if (question && !(await confirm(question))) return;
    setBusy(true);
    setMessage(null);
    try {
      setEvent(await events.transition(event.eventId, to));
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : "Could not change the status.");
      reloadEvent(); // e.g. it went live by itself meanwhile
    } finally {
      setBusy(false);
    }
  }

  if (loadError) {
    return (
      <section className="page">
        <ErrorMessage testId="live-error">{loadError}</ErrorMessage>
        <Link to="/admin/events">Back to events</Link>
      </section>
    );
  }
  if (!event) return <PageLoading />;

  const moves = controlRoomMoves(event.allowedTransitions ?? []);
  const ended = event.status === "ended" || event.status === "archived";

  return (
    <section className="page live-page" data-testid="live-control">
      <header className="page-header">
        <div>
          <Link to={`/admin/events/${eventId}`} className="back-link">← {event.title}</Link>
          <h1>
            Live control room <StatusBadge status={event.status} eventType={event.eventType} />
            {input && !ended ? <LiveStateBadge state={input.state} /> : null}
          </h1>
        </div>
        <div className="page-header-actions live-actions">
          {input && !ended ? (
            <div className="viewer-count" data-testid="live-viewers" data-value={input.viewers} aria-live="polite">
              <strong>{formatCount(input.viewers)}</strong> watching
            </div>
          ) : null}
          {isLiveEvent
            ? moves.map((to) => (
                <button
                  key={to}
                  type="button"
                  className={`btn ${to === "live" ? "btn-live" : to === "ended" ? "btn-danger" : "btn-secondary"}`}
                  disabled={busy}
                  onClick={() => void move(to)}
                  data-testid={`live-transition-${to}`}
                >
                  {MOVE_LABELS[to] ?? TRANSITION_LABELS[to]}
                </button>
              ))
            : null}
        </div>
      </header>
      <ErrorMessage testId="live-error">{message}</ErrorMessage>
      {dialog}

      {!isLiveEvent ? (
        <div className="card empty-state" data-testid="live-not-live-event">
          <p>This is an on-demand event: it plays an uploaded video and has no live input.</p>
          <Link to={`/admin/events/${eventId}`} className="btn btn-secondary">Back to the editor</Link>
        </div>
      ) : !input ? (
        inputError ? <ErrorMessage testId="live-input-error">{inputError}</ErrorMessage> : <Spinner label="Loading the live input…" />
      ) : (
        <>
          {inputError ? (
            <div className="alert alert-warning" role="status" data-testid="live-input-error">
              Could not refresh: {inputError} Showing the last figures.
            </div>
          ) : null}
          {event.status === "scheduled" && input.health.connected ? (
            <div className="alert alert-success" role="status" data-testid="ready-to-go-live">
              {!event.autoStart
                ? "Your encoder is connected. Check the preview, then press Go live."
                : event.scheduledStart && Date.parse(event.scheduledStart) > Date.now()
                  ? `Your encoder is connected. Auto start is on: the event goes live by itself at its start time (${formatDateTime(event.scheduledStart)}); until then only you see the preview.`
                  : "Your encoder is connected. Auto start is on: the event goes live by itself as soon as the stream is ready."}
            </div>
          ) : null}
          {ended ? (
            // The show is over: the replay is what is left to work on; the key no longer takes a stream.
            <div className="live-grid">
              <div className="live-column">
                <ReplayTrimForm eventId={eventId} recording={input.recording} />
              </div>
              <div className="live-column">
                <IngestHealthPanel health={input.health} history={history} />
              </div>
            </div>
          ) : (
            <div className="live-grid">
              <div className="live-column">
                <LivePreview eventId={eventId} input={input} />
                <IngestHealthPanel health={input.health} history={history} />
              </div>
              <div className="live-column">
                <StreamCredentials eventId={eventId} input={input} onRotated={replace} />
                <EncoderSettings input={input} />
              </div>
            </div>
          )}
        </>
      )}
      {event.status !== "cancelled" && event.status !== "draft" ? <ConsoleChat eventId={eventId} /> : null}
    </section>
  );
}
