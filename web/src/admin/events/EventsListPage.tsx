import { useCallback, useEffect, useMemo } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { events } from "../../api/client";
import type { EventListQuery } from "../../api/types";
import { useApi } from "../../api/useApi";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { EventsFilters } from "./EventsFilters";
import { EventsTable } from "./EventsTable";
import { Pagination } from "./Pagination";

const PAGE_SIZE = 20;

function queryFromParams(params: URLSearchParams): EventListQuery {
  const offset = Number(params.get("offset") ?? 0);
  return {
    q: params.get("q") ?? "",
    status: (params.get("status") ?? "") as EventListQuery["status"],
    eventType: (params.get("eventType") ?? "") as EventListQuery["eventType"],
    isPaid: (params.get("isPaid") ?? "") as EventListQuery["isPaid"],
    sort: (params.get("sort") ?? "-createdAt") as EventListQuery["sort"],
    limit: PAGE_SIZE,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** /admin/events: the searchable, filterable list of events. The query lives in the URL. */
export default function EventsListPage() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromParams(params), [params]);
  const { data: page, error, loading } = useApi((signal) => events.list(query, signal), [query]);

  useEffect(() => {
    document.title = "Events · GoLive";
  }, []);

  const update = useCallback(
    (patch: Partial<EventListQuery>) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(patch)) {
          if (value === "" || value == null || (key === "sort" && value === "-createdAt")) next.delete(key);
          else next.set(key, String(value));
        }
        if (!("offset" in patch)) next.delete("offset");
        if (next.get("offset") === "0") next.delete("offset");
        return next;
      });
    },
    [setParams],
  );

  return (
    <section className="page">
      <header className="page-header">
        <h1>Events</h1>
        <Link to="/admin/events/new" className="btn btn-primary" data-testid="new-event">
          New event
        </Link>
      </header>
      <EventsFilters query={query} onChange={update} />
      <ErrorMessage testId="events-error">{error}</ErrorMessage>
      {page && page.items.length > 0 ? (
        <div className={loading ? "is-refreshing" : undefined}>
          <EventsTable items={page.items} />
          <Pagination total={page.total} limit={page.limit || PAGE_SIZE} offset={page.offset} onChange={(offset) => update({ offset })} />
        </div>
      ) : loading ? (
        <Spinner />
      ) : page ? (
        <div className="card empty-state" data-testid="events-empty">
          <p>{query.q || query.status || query.eventType || query.isPaid ? "No events match these filters." : "No events yet."}</p>
          <Link to="/admin/events/new" className="btn btn-secondary">Create your first event</Link>
        </div>
      ) : null}
    </section>
  );
}
