import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError, grants } from "../../api/client";
import type { ComplimentaryGrant } from "../../api/types";
import { useApi } from "../../api/useApi";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { useAdminSession } from "../adminSession";
import { useConfirm } from "../dialog/ConfirmDialog";
import { canGrantAccess } from "../permissions";
import { useAdminEvent } from "../useAdminEvent";
import { GrantForm } from "./GrantForm";
import { GrantsTable } from "./GrantsTable";

/** /admin/events/:eventId/complimentary: free access by email, the list with each grant's state, revoking. */
export default function ComplimentaryPage() {
  const { eventId = "" } = useParams();
  const { admin } = useAdminSession();
  const mayGrant = canGrantAccess(admin?.role);
  const { event, error: eventError } = useAdminEvent(eventId, "Complimentary access");
  const { data, error, loading, reload } = useApi((signal) => grants.list(eventId, signal), [eventId]);
  const { confirm, dialog } = useConfirm();
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  function granted(grant: ComplimentaryGrant) {
    setActionError(null);
    setNotice(`${grant.email} has free access. We emailed them how to watch.`);
    reload();
  }

  async function revoke(grant: ComplimentaryGrant) {
    const confirmed = await confirm({
      title: `Revoke the access of ${grant.email}?`,
      message: "Every device that proved this address stops playing at its next check. You can give access again later.",
      confirmLabel: "Revoke access",
      danger: true,
    });
    if (!confirmed) return;
    setBusyId(grant.grantId);
    setNotice(null);
    setActionError(null);
    try {
      await grants.revoke(eventId, grant.grantId);
      setNotice(`The access of ${grant.email} was revoked.`);
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : "Could not revoke the access. Please try again.");
    } finally {
      setBusyId(null);
      reload();
    }
  }

  const items = data?.items ?? [];
  return (
    <section className="page" data-testid="complimentary-page">
      <header className="page-header">
        <div>
          <Link to={`/admin/events/${eventId}`} className="back-link">← {event?.title ?? "Event"}</Link>
          <h1>Complimentary access{data ? <span className="muted"> · {items.filter((g) => g.status === "active").length} active</span> : null}</h1>
        </div>
        <div className="page-header-actions">
          <a className="btn btn-secondary" href={grants.csvUrl(eventId)} download data-testid="grants-csv">
            Download CSV
          </a>
        </div>
      </header>
      {dialog}
      {notice ? <div className="alert alert-success" role="status" data-testid="grants-notice">{notice}</div> : null}
      <ErrorMessage testId="grants-error">{eventError ?? actionError ?? error}</ErrorMessage>
      {mayGrant ? <GrantForm eventId={eventId} onGranted={granted} /> : (
        <p className="muted" data-testid="grants-read-only">Admins and owners give and revoke free access; you can see who has it.</p>
      )}
      {items.length > 0 ? (
        <div className={loading ? "is-refreshing" : undefined}>
          <GrantsTable items={items} onRevoke={mayGrant ? (g) => void revoke(g) : undefined} busyId={busyId} />
        </div>
      ) : loading ? (
        <Spinner />
      ) : data ? (
        <div className="card empty-state" data-testid="grants-empty">
          <p>Nobody has free access to this event yet.</p>
        </div>
      ) : null}
    </section>
  );
}
