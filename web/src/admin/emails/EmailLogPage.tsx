import { useCallback, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { ApiError, emails, events as eventsApi } from "../../api/client";
import type { EmailOut, EmailQuery } from "../../api/types";
import { useApi } from "../../api/useApi";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { Pagination } from "../events/Pagination";
import { EmailFilters } from "./EmailFilters";
import { EmailsTable } from "./EmailsTable";
import { EMAILS_PAGE_SIZE, hasFilters, queryFromParams } from "./emailView";
import "../payments/payments.css";
import "./emails.css";

/** /admin/emails: every message the platform sent (codes, receipts, refunds), how it went, and resend. */
export default function EmailLogPage() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromParams(params), [params]);
  const { data: page, error: loadError, loading, reload } = useApi((signal) => emails.list(query, signal), [query]);
  // The filters' choices; without them the filter lists none, and the log still loads.
  const types = useApi((signal) => emails.types(signal), []).data?.items ?? [];
  const eventChoices = useApi((signal) => eventsApi.list({ sort: "-createdAt", limit: 100 }, signal), []).data?.items ?? [];
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resending, setResending] = useState<string | null>(null);

  useEffect(() => {
    document.title = "Email log · GoLive";
  }, []);

  const update = useCallback(
    (patch: Partial<EmailQuery>) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(patch)) {
          if (value === "" || value == null || (key === "offset" && value === 0)) next.delete(key);
          else next.set(key, String(value));
        }
        if (!("offset" in patch)) next.delete("offset");
        return next;
      });
      setNotice(null);
      setActionError(null);
    },
    [setParams],
  );

  async function resend(email: EmailOut) {
    setResending(email.emailId);
    setNotice(null);
    setActionError(null);
    try {
      const copy = await emails.resend(email.emailId);
      if (copy.status === "failed") setActionError(`The copy to ${copy.recipientEmail} could not be sent: ${copy.errorMessage ?? "unknown error"}`);
      else setNotice(`Sent again to ${copy.recipientEmail}.`);
      reload();
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : "The email could not be sent again.");
    } finally {
      setResending(null);
    }
  }

  return (
    <section className="page emails-page" data-testid="emails-page">
      <header className="page-header">
        <div>
          <h1>
            Email log
            {page ? <span className="muted" data-testid="emails-total"> · {page.total}</span> : null}
          </h1>
          <p className="muted small">Access codes, receipts and refund notices, with how each delivery went.</p>
        </div>
        <div className="page-header-actions">
          <a className="btn btn-secondary" href={emails.csvUrl(query)} download data-testid="emails-csv">
            Download CSV
          </a>
        </div>
      </header>

      <ErrorMessage testId="emails-error">{actionError ?? loadError}</ErrorMessage>
      {notice ? <div className="alert alert-success" role="status" data-testid="emails-notice">{notice}</div> : null}

      <EmailFilters query={query} onChange={update} types={types} events={eventChoices} />
      {page && page.items.length > 0 ? (
        <div className={loading ? "is-refreshing" : undefined}>
          <EmailsTable items={page.items} resending={resending} onResend={resend} />
          <Pagination total={page.total} limit={page.limit || EMAILS_PAGE_SIZE} offset={page.offset} onChange={(offset) => update({ offset })} />
        </div>
      ) : loading ? (
        <Spinner />
      ) : page ? (
        <div className="card empty-state" data-testid="emails-empty">
          <p>{hasFilters(query) ? "No emails match these filters." : "No emails yet."}</p>
        </div>
      ) : null}
    </section>
  );
}
