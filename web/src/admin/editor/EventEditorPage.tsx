import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, events } from "../../api/client";
import type { AdminEvent } from "../../api/types";
import { lifecycleActions, type LifecycleAction } from "../../lib/eventStatus";
import { ErrorMessage, PageLoading } from "../../shared/Status";
import { useAdminSession } from "../adminSession";
import { useConfirm } from "../dialog/ConfirmDialog";
import { StatusBadge } from "../events/StatusBadge";
import { canDelete, canDeleteMedia } from "../permissions";
import { AccessSection } from "./AccessSection";
import { ActivityTimeline } from "./ActivityTimeline";
import { PasswordGuessNotice } from "./PasswordGuessNotice";
import { BasicsSection } from "./BasicsSection";
import { EmbedSection } from "./EmbedSection";
import { draftToWrite, emptyDraft, eventToDraft, patchDraft, validateDraft, type EventDraft } from "./eventDraft";
import { LiveSection } from "./LiveSection";
import { LifecycleButtons } from "./LifecycleButtons";
import { MediaPanel } from "./media/MediaPanel";
import { PriceSection } from "./PriceSection";
import { ScheduleSection } from "./ScheduleSection";

/** Field paths the editor shows next to an input; any other server error goes in the summary. */
function isShownInline(path: string): boolean {
  return /^(title|description|thumbnailUrl|eventType|timezone|scheduledStart|scheduledEnd|autoStart|autoEnd|accessType|accessPassword|formFields(\.\d+\.(name|label|type|options|maxLength))?|isPaidEvent|isListed|contentRating|priceAmount|currency|embedSettings\.(allowedDomains|primaryColor))$/.test(path);
}

function saveErrorSummary(err: unknown): { message: string; fields: Record<string, string> } {
  if (err instanceof ApiError) {
    const fields = { ...err.fields };
    // Errors on one option (formFields.0.options.1) or domain (embedSettings.allowedDomains.2) go to the list's field.
    for (const [key, message] of Object.entries(err.fields)) {
      const parent = key.replace(/^(formFields\.\d+\.options|embedSettings\.allowedDomains)\.\d+$/, "$1");
      if (parent !== key && !fields[parent]) fields[parent] = message;
    }
    const stray = Object.entries(fields).filter(([key]) => !isShownInline(key) && !/\.\d+$/.test(key));
    const extra = stray.map(([key, message]) => `${key}: ${message}`).join("; ");
    return { message: extra ? `${err.message} (${extra})` : err.message, fields };
  }
  return { message: "Could not save. Please try again.", fields: {} };
}

/** /admin/events/new and /admin/events/:eventId. */
export default function EventEditorPage() {
  const { eventId } = useParams();
  const navigate = useNavigate();
  const [event, setEvent] = useState<AdminEvent | null>(null);
  const [draft, setDraft] = useState<EventDraft>(emptyDraft);
  const [baseline, setBaseline] = useState<EventDraft>(emptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loading, setLoading] = useState(Boolean(eventId));
  const [busy, setBusy] = useState(false);
  const [activityVersion, setActivityVersion] = useState(0);
  const loadedId = useRef<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped by a save that failed on fields: the page then takes the admin to the first of them.
  const [errorVisit, setErrorVisit] = useState(0);
  const { admin } = useAdminSession();
  const mayDelete = canDelete(admin?.role);
  const { confirm, dialog } = useConfirm();
  const refreshActivity = useCallback(() => setActivityVersion((v) => v + 1), []);

  function showEvent(loaded: AdminEvent) {
    const next = eventToDraft(loaded);
    loadedId.current = loaded.eventId;
    setEvent(loaded);
    setDraft(next);
    setBaseline(next);
  }

  useEffect(() => {
    if (!eventId) {
      loadedId.current = null;
      setEvent(null);
      setDraft(emptyDraft());
      setBaseline(emptyDraft());
      setLoading(false);
      return;
    }
    if (loadedId.current === eventId) return; // just created: already have it
    const controller = new AbortController();
    setLoading(true);
    events
      .get(eventId, controller.signal)
      .then(showEvent)
      .catch((err: unknown) => {
        if (err instanceof ApiError) setMessage(err.status === 404 ? "This event does not exist or was deleted." : err.message);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [eventId]);

  useEffect(() => {
    document.title = `${event ? event.title : "New event"} · GoLive`;
  }, [event]);

  useEffect(() => {
    if (errorVisit === 0) return;
    const form = formRef.current;
    // The first field in error, and in it the control the error is about (not, say, its colour picker).
    const first = form?.querySelector<HTMLElement>(".field-has-error, [aria-invalid='true']");
    const control = first?.matches("[aria-invalid='true']")
      ? first
      : first?.querySelector<HTMLElement>("[aria-invalid='true']") ?? first?.querySelector<HTMLElement>("input, select, textarea");
    const target = control ?? form?.querySelector<HTMLElement>("[data-testid='editor-error']");
    target?.scrollIntoView({ block: "center", behavior: "smooth" });
    control?.focus({ preventScroll: true });
  }, [errorVisit]);

  const dirty = useMemo(() => JSON.stringify(draftToWrite(draft)) !== JSON.stringify(draftToWrite(baseline)), [draft, baseline]);

  const update = (patch: Partial<EventDraft>) => {
    setDraft((d) => patchDraft(d, patch));
    setNotice(null);
  };

  async function save(e?: FormEvent) {
    e?.preventDefault();
    const clientErrors = validateDraft(draft, event?.hasPassword ?? false);
    setErrors(clientErrors);
    setNotice(null);
    if (Object.keys(clientErrors).length > 0) {
      setMessage("Please fix the highlighted fields.");
      setErrorVisit((n) => n + 1);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const body = draftToWrite(draft);
      if (event?.isPaidEvent && draft.isPaidEvent) {
        // the prices table owns the default price (saved with its own button)
        delete body.priceAmount;
        delete body.currency;
      }
      const saved = event ? await events.update(event.eventId, body) : await events.create(body);
      showEvent(saved);
      setNotice(event ? "Changes saved." : "Event created.");
      setActivityVersion((v) => v + 1);
      if (!event) navigate(`/admin/events/${saved.eventId}`, { replace: true });
    } catch (err) {
      const summary = saveErrorSummary(err);
      setErrors(summary.fields);
      setMessage(summary.message);
      setErrorVisit((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  /** The prices table saved: the event's price shorthand follows, without touching unsaved edits. */
  async function pricesSaved() {
    if (!event) return;
    const loaded = await events.get(event.eventId);
    const price = eventToDraft(loaded);
    setEvent(loaded);
    const patch = { priceText: price.priceText, currency: price.currency, isPaidEvent: price.isPaidEvent };
    setDraft((d) => ({ ...d, ...patch }));
    setBaseline((b) => ({ ...b, ...patch }));
    refreshActivity();
  }

  /** Walks the action's transitions in order (Publish on a draft video: scheduled, then live). */
  async function runLifecycle(action: LifecycleAction) {
    if (!event) return;
    if (action.question && !(await confirm({ ...action.question, danger: action.tone === "danger" }))) return;
    setBusy(true);
    setMessage(null);
    setNotice(null);
    try {
      for (const to of action.steps) {
        showEvent(await events.transition(event.eventId, to));
        setActivityVersion((v) => v + 1);
      }
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : "Could not change the status.");
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!event) return;
    const confirmed = await confirm({
      title: `Delete “${event.title}”?`,
      message: "Viewers will no longer be able to open it.",
      confirmLabel: "Delete event",
      danger: true,
    });
    if (!confirmed) return;
    setBusy(true);
    try {
      await events.remove(event.eventId);
      navigate("/admin/events", { replace: true });
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : "Could not delete the event.");
      setBusy(false);
    }
  }

  if (loading) return <PageLoading />;
  if (eventId && !event) {
    return (
      <section className="page">
        <ErrorMessage testId="editor-error">{message ?? "Could not load the event."}</ErrorMessage>
        <Link to="/admin/events">Back to events</Link>
      </section>
    );
  }

  const savedHtml = event && draft.description === event.description && event.descriptionHtml ? event.descriptionHtml : null;

  return (
    <form ref={formRef} className="page editor" onSubmit={save} noValidate data-testid="event-editor">
      <header className="page-header editor-header">
        <div>
          <Link to="/admin/events" className="back-link">← Events</Link>
          <h1>
            {event ? event.title || "Untitled event" : "New event"} {event ? <StatusBadge status={event.status} eventType={event.eventType} /> : null}
          </h1>
          {event ? (
            <div className="editor-links">
              <a className="muted small" href={`/e/${event.eventId}`} target="_blank" rel="noreferrer" data-testid="viewer-link">
                Open viewer page ↗
              </a>
              <Link className="small" to={`/admin/events/${event.eventId}/registrations`} data-testid="registrations-link">
                Registrations
              </Link>
              <Link className="small" to={`/admin/events/${event.eventId}/complimentary`} data-testid="complimentary-link">
                Complimentary access
              </Link>
              <Link className="small" to={`/admin/events/${event.eventId}/analytics`} data-testid="analytics-link">
                Analytics
              </Link>
              <Link className="small" to={`/admin/events/${event.eventId}/chat`} data-testid="chat-link">
                Chat
              </Link>
              {event.isPaidEvent ? (
                <Link className="small" to={`/admin/events/${event.eventId}/payments`} data-testid="payments-link">
                  Payments
                </Link>
              ) : null}
              {event.eventType === "live" ? (
                <Link className="small live-link" to={`/admin/events/${event.eventId}/live`} data-testid="live-control-link">
                  Live control room
                </Link>
              ) : null}
            </div>
          ) : null}
        </div>
        <div className="editor-actions">
          {event ? (
            <LifecycleButtons
              actions={lifecycleActions(event.eventType, event.status, event.allowedTransitions ?? [])}
              busy={busy}
              disabledReason={dirty ? "Save your changes first" : null}
              onAction={(action) => void runLifecycle(action)}
            />
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="save-event">
            {busy ? "Saving…" : event ? "Save changes" : "Create event"}
          </button>
        </div>
      </header>

      {event?.deletedAt ? <div className="alert alert-warning">This event was deleted.</div> : null}
      {event && event.accessType === "password" ? <PasswordGuessNotice eventId={event.eventId} refreshKey={activityVersion} /> : null}
      <ErrorMessage testId="editor-error">{message}</ErrorMessage>
      {dialog}
      {notice ? <div className="alert alert-success" role="status" data-testid="editor-notice">{notice}</div> : null}
      {dirty && event ? <p className="muted small" data-testid="unsaved-changes">You have unsaved changes.</p> : null}

      <div className="editor-grid">
        <div className="editor-column">
          <BasicsSection draft={draft} errors={errors} savedHtml={savedHtml} onChange={update} />
          {event && event.eventType === "vod" ? (
            <MediaPanel eventId={event.eventId} canDelete={canDeleteMedia(admin?.role)} onMediaChange={refreshActivity} />
          ) : null}
          <ScheduleSection draft={draft} errors={errors} onChange={update} />
          {draft.eventType === "live" ? <LiveSection draft={draft} errors={errors} onChange={update} /> : null}
          <AccessSection draft={draft} errors={errors} hasPassword={event?.hasPassword ?? false} onChange={update} />
          <PriceSection
            draft={draft}
            errors={errors}
            onChange={update}
            pricedEventId={event?.isPaidEvent ? event.eventId : null}
            onPricesSaved={() => void pricesSaved()}
          />
          <EmbedSection eventId={event?.eventId ?? null} draft={draft} errors={errors} previewVersion={activityVersion} onChange={update} />
        </div>
        {event ? (
          <div className="editor-column editor-side">
            <ActivityTimeline eventId={event.eventId} refreshKey={activityVersion} />
            {mayDelete ? (
              <section className="card editor-section danger-zone">
                <h2>Delete event</h2>
                <p className="muted">The event is hidden from viewers and the list. Its data is kept.</p>
                <button type="button" className="btn btn-danger" onClick={remove} disabled={busy} data-testid="delete-event">
                  Delete event
                </button>
              </section>
            ) : null}
          </div>
        ) : null}
      </div>
    </form>
  );
}
