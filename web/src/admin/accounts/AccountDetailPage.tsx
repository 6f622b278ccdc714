import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { adminAccounts, ApiError, grants, payments } from "../../api/client";
import { useApi } from "../../api/useApi";
import { formatPrice } from "../../lib/money";
import { formatShortDateTime } from "../../lib/time";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { useAdminSession } from "../adminSession";
import { canGrantAccess } from "../permissions";
import { FreeAccessForm } from "./FreeAccessForm";

/** /admin/accounts/:accountId: one account, its profiles, its sessions and what it holds; disable, sign out. */
export default function AccountDetailPage() {
  const { accountId = "" } = useParams();
  const detail = useApi((signal) => adminAccounts.get(accountId, signal), [accountId]);
  const holds = useApi((signal) => adminAccounts.library(accountId, signal), [accountId]);
  const paid = useApi((signal) => payments.list({ accountId, limit: 100 }, signal), [accountId]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { admin } = useAdminSession();
  const account = detail.data;

  useEffect(() => {
    document.title = `${account?.email ?? "Account"} · GoLive`;
  }, [account?.email]);

  async function act(call: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await call();
      detail.reload();
      holds.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "That did not work. Please try again.");
    } finally {
      setBusy(false);
    }
  }

  if (!account) return detail.error ? <ErrorMessage>{detail.error}</ErrorMessage> : <Spinner />;
  const active = account.status === "active";
  return (
    <section className="page" data-testid="account-detail">
      <header className="page-header">
        <div>
          <p className="small"><Link to="/admin/accounts">← Accounts</Link></p>
          <h1>{account.name || account.email}</h1>
          <p className="muted small">
            {account.email} · {account.emailVerified ? "verified" : "not verified"} · joined {formatShortDateTime(account.createdAt)}
          </p>
        </div>
        <div className="page-header-actions">
          <button type="button" className="btn btn-secondary" disabled={busy || account.sessions.length === 0} onClick={() => void act(() => adminAccounts.endSessions(accountId))} data-testid="account-end-sessions">
            Sign out everywhere
          </button>
          <button type="button" className={active ? "btn btn-danger" : "btn btn-primary"} disabled={busy} onClick={() => void act(() => adminAccounts.setStatus(accountId, active ? "disabled" : "active"))} data-testid="account-status">
            {active ? "Disable account" : "Enable account"}
          </button>
        </div>
      </header>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="card">
        <h2>Profiles</h2>
        <ul data-testid="account-profiles">
          {account.profiles.map((profile) => (
            <li key={profile.profileId}>
              {profile.name}
              {profile.isKids ? ` · kids, up to ${profile.maxRating ?? "G"}` : ""}
              {profile.hasPin ? " · PIN" : ""}
            </li>
          ))}
        </ul>
        <h2>Signed in on</h2>
        {account.sessions.length === 0 ? <p className="muted">No device.</p> : null}
        <ul data-testid="account-sessions">
          {account.sessions.map((session) => (
            <li key={session.sessionId}>
              {session.userAgent ?? "unknown device"} <span className="muted small">last used {formatShortDateTime(session.lastUsedAt)}{session.ipAddress ? ` from ${session.ipAddress}` : ""}</span>
            </li>
          ))}
        </ul>
        <h2>Holds</h2>
        {holds.data && holds.data.items.length === 0 ? <p className="muted">Nothing yet.</p> : null}
        <ul data-testid="account-holds">
          {(holds.data?.items ?? []).map((item) => (
            <li key={item.eventId}>
              <Link to={`/admin/events/${encodeURIComponent(item.eventId)}`}>{item.title}</Link>{" "}
              <span className="muted small">· {item.state}{item.paid ? " · paid" : ""}{item.complimentaryGrantId ? " · free access" : ""} · since {formatShortDateTime(item.acquiredAt)}</span>
              {item.complimentaryGrantId && canGrantAccess(admin?.role) ? (
                <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => void act(() => grants.revoke(item.eventId, item.complimentaryGrantId!))} data-testid="account-revoke-free">
                  Revoke free access<span className="visually-hidden"> to {item.title}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        <h2>Payments</h2>
        {paid.data && paid.data.items.length === 0 ? <p className="muted">None.</p> : null}
        <ul data-testid="account-payments">
          {(paid.data?.items ?? []).map((payment) => (
            <li key={payment.paymentId}>
              <Link to={`/admin/events/${encodeURIComponent(payment.eventId)}/payments`}>{payment.eventTitle}</Link>{" "}
              <span className="muted small">
                · {formatPrice(payment.amount, payment.currency)} · {payment.status}
                {payment.refundedAmount ? ` · ${formatPrice(payment.refundedAmount, payment.currency)} refunded` : ""} · {formatShortDateTime(payment.initiatedAt)}
              </span>
            </li>
          ))}
        </ul>
        {canGrantAccess(admin?.role) ? (
          <FreeAccessForm email={account.email} verified={account.emailVerified} busy={busy} onGive={(eventId, validUntil) => act(() => grants.create(eventId, { email: account.email, validUntil }))} />
        ) : null}
      </div>
    </section>
  );
}
