import { useCallback, useMemo } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { registrations } from "../../api/client";
import type { RegistrationQuery } from "../../api/types";
import { useApi } from "../../api/useApi";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { Pagination } from "../events/Pagination";
import { useAdminEvent } from "../useAdminEvent";
import { RegistrationsFilters } from "./RegistrationsFilters";
import { RegistrationsTable } from "./RegistrationsTable";
import { REGISTRATIONS_PAGE_SIZE, hasFilters, queryFromParams } from "./registrationView";

/** /admin/events/:eventId/registrations: who registered, filterable, with a CSV download. */
export default function RegistrationsPage() {
  const { eventId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromParams(params), [params]);
  const { event, error: eventError } = useAdminEvent(eventId, "Registrations");
  const { data: page, error, loading } = useApi((signal) => registrations.list(eventId, query, signal), [eventId, query]);

  const update = useCallback(
    (patch: Partial<RegistrationQuery>) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(patch)) {
          if (value === "" || value == null || (key === "offset" && value === 0)) next.delete(key);
          else next.set(key, String(value));
        }
        if (!("offset" in patch)) next.delete("offset");
        return next;
      });
    },
    [setParams],
  );

  return (
    <section className="page" data-testid="registrations-page">
      <header className="page-header">
        <div>
          <Link to={`/admin/events/${eventId}`} className="back-link">← {event?.title ?? "Event"}</Link>
          <h1>Registrations{page ? <span className="muted"> · {page.total}</span> : null}</h1>
        </div>
        <div className="page-header-actions">
          <a className="btn btn-secondary" href={registrations.csvUrl(eventId, query)} download data-testid="registrations-csv">
            Download CSV
          </a>
        </div>
      </header>
      <RegistrationsFilters query={query} onChange={update} />
      <ErrorMessage testId="registrations-error">{eventError ?? error}</ErrorMessage>
      {page && page.items.length > 0 ? (
        <div className={loading ? "is-refreshing" : undefined}>
          <RegistrationsTable items={page.items} formFields={event?.formFields ?? []} />
          <Pagination total={page.total} limit={page.limit || REGISTRATIONS_PAGE_SIZE} offset={page.offset} onChange={(offset) => update({ offset })} />
        </div>
      ) : loading ? (
        <Spinner />
      ) : page ? (
        <div className="card empty-state" data-testid="registrations-empty">
          <p>{hasFilters(query) ? "No registrations match these filters." : "Nobody has registered yet."}</p>
        </div>
      ) : null}
    </section>
  );
}
