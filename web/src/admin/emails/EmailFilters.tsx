import { useCallback } from "react";
import { EMAIL_STATUSES, type AdminEvent, type EmailQuery } from "../../api/types";
import { useDebouncedSearch } from "../useDebouncedSearch";
import { EMAIL_STATUS_LABELS, emailTypeLabel } from "./emailView";

interface Props {
  query: EmailQuery;
  onChange: (patch: Partial<EmailQuery>) => void;
  types: string[];
  events: Pick<AdminEvent, "eventId" | "title">[];
}

/** Search by recipient, and filter by type, status and event. */
export function EmailFilters({ query, onChange, types, events }: Props) {
  const commitSearch = useCallback((recipient: string) => onChange({ recipient }), [onChange]);
  const [recipient, setRecipient] = useDebouncedSearch(query.recipient, commitSearch);
  const typeMissing = query.type && !types.includes(query.type);
  const eventMissing = query.eventId && !events.some((e) => e.eventId === query.eventId);

  return (
    <div className="filters email-filters" role="search">
      <label className="visually-hidden" htmlFor="email-search">Search by recipient</label>
      <input id="email-search" type="search" placeholder="Search recipient…" value={recipient} onChange={(e) => setRecipient(e.target.value)} data-testid="email-search" />
      <label className="visually-hidden" htmlFor="filter-email-type">Type</label>
      <select id="filter-email-type" value={query.type ?? ""} onChange={(e) => onChange({ type: e.target.value })} data-testid="filter-email-type">
        <option value="">Any type</option>
        {typeMissing ? <option value={query.type}>{emailTypeLabel(query.type ?? "")}</option> : null}
        {types.map((type) => (
          <option key={type} value={type}>{emailTypeLabel(type)}</option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="filter-email-status">Status</label>
      <select id="filter-email-status" value={query.status ?? ""} onChange={(e) => onChange({ status: e.target.value as EmailQuery["status"] })} data-testid="filter-email-status">
        <option value="">Any status</option>
        {EMAIL_STATUSES.map((s) => (
          <option key={s} value={s}>{EMAIL_STATUS_LABELS[s]}</option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="filter-email-event">Event</label>
      <select id="filter-email-event" value={query.eventId ?? ""} onChange={(e) => onChange({ eventId: e.target.value })} data-testid="filter-email-event">
        <option value="">All events</option>
        {eventMissing ? <option value={query.eventId}>{query.eventId}</option> : null}
        {events.map((e) => (
          <option key={e.eventId} value={e.eventId}>{e.title}</option>
        ))}
      </select>
    </div>
  );
}
