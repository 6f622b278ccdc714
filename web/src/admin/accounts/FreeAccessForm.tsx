import { useState, type FormEvent } from "react";
import { events } from "../../api/client";
import { useApi } from "../../api/useApi";
import { browserTimeZone, zonedLocalToUtcIso } from "../../lib/time";

interface Props {
  email: string;
  verified: boolean;
  busy: boolean;
  onGive: (eventId: string, validUntil: string | null) => Promise<void>;
}

const GIVABLE = new Set(["scheduled", "live", "ended"]);

/** Free access to one event for the account's address (the event's complimentary access, given from here). */
export function FreeAccessForm({ email, verified, busy, onGive }: Props) {
  const recent = useApi((signal) => events.list({ limit: 100, sort: "-scheduledStart" }, signal), []);
  const [eventId, setEventId] = useState("");
  const [until, setUntil] = useState("");
  const choices = (recent.data?.items ?? []).filter((event) => GIVABLE.has(event.status));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!eventId) return;
    await onGive(eventId, until ? zonedLocalToUtcIso(until, browserTimeZone()) : null);
    setEventId("");
    setUntil("");
  };

  return (
    <form className="free-access-form" onSubmit={(e) => void submit(e)} data-testid="account-free-access">
      <h2>Give free access</h2>
      <p className="muted small">
        To {email}, whatever the event's gate and price{verified ? "" : " (it counts once the account confirms its address)"}.
      </p>
      <label className="field-label" htmlFor="free-access-event">Event</label>
      <select id="free-access-event" value={eventId} onChange={(e) => setEventId(e.target.value)} data-testid="account-free-event">
        <option value="">Choose an event…</option>
        {choices.map((event) => <option key={event.eventId} value={event.eventId}>{event.title}</option>)}
      </select>
      <label className="field-label" htmlFor="free-access-until">Until (optional)</label>
      <input id="free-access-until" type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
      <button type="submit" className="btn btn-primary" disabled={busy || !eventId} data-testid="account-free-give">Give access</button>
    </form>
  );
}
