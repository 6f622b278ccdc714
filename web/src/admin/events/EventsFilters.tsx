import { useCallback } from "react";
import { EVENT_STATUSES, type EventListQuery } from "../../api/types";
import { useDebouncedSearch } from "../useDebouncedSearch";
import { STATUS_FILTER_LABELS } from "../../lib/eventStatus";

interface Props {
  query: EventListQuery;
  onChange: (patch: Partial<EventListQuery>) => void;
}

/** Search box, status/type/paid filters and sort of the events list. */
export function EventsFilters({ query, onChange }: Props) {
  const commitSearch = useCallback((q: string) => onChange({ q }), [onChange]);
  const [q, setQ] = useDebouncedSearch(query.q, commitSearch);

  return (
    <div className="filters" role="search">
      <label className="visually-hidden" htmlFor="events-search">Search events</label>
      <input id="events-search" type="search" placeholder="Search events…" value={q} onChange={(e) => setQ(e.target.value)} data-testid="events-search" />
      <label className="visually-hidden" htmlFor="filter-status">Status</label>
      <select id="filter-status" value={query.status ?? ""} onChange={(e) => onChange({ status: e.target.value as EventListQuery["status"] })} data-testid="filter-status">
        <option value="">All statuses</option>
        {EVENT_STATUSES.map((s) => (
          <option key={s} value={s}>{STATUS_FILTER_LABELS[s]}</option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="filter-type">Type</label>
      <select id="filter-type" value={query.eventType ?? ""} onChange={(e) => onChange({ eventType: e.target.value as EventListQuery["eventType"] })} data-testid="filter-type">
        <option value="">All types</option>
        <option value="live">Live</option>
        <option value="vod">On demand</option>
      </select>
      <label className="visually-hidden" htmlFor="filter-paid">Paid</label>
      <select id="filter-paid" value={query.isPaid ?? ""} onChange={(e) => onChange({ isPaid: e.target.value as EventListQuery["isPaid"] })} data-testid="filter-paid">
        <option value="">Free and paid</option>
        <option value="true">Paid</option>
        <option value="false">Free</option>
      </select>
      <label className="visually-hidden" htmlFor="sort">Sort</label>
      <select id="sort" value={query.sort ?? "-createdAt"} onChange={(e) => onChange({ sort: e.target.value as EventListQuery["sort"] })} data-testid="sort">
        <option value="-createdAt">Newest first</option>
        <option value="scheduledStart">Start time (soonest)</option>
        <option value="-scheduledStart">Start time (latest)</option>
      </select>
    </div>
  );
}
