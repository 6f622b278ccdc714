import { useCallback, useEffect, useMemo } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { adminAccounts } from "../../api/client";
import { useApi } from "../../api/useApi";
import { formatShortDate, formatShortDateTime } from "../../lib/time";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { Pagination } from "../events/Pagination";
import { useDebouncedSearch } from "../useDebouncedSearch";

const PAGE_SIZE = 20;

/** /admin/accounts: the audience's accounts, searched by email or name. */
export default function AccountsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const offset = Number(params.get("offset") ?? 0) || 0;
  const query = useMemo(() => ({ q: q || undefined, offset, limit: PAGE_SIZE }), [q, offset]);
  const { data: page, error, loading } = useApi((signal) => adminAccounts.list(query, signal), [query]);
  const commit = useCallback(
    (text: string) => setParams((current) => {
      const next = new URLSearchParams(current);
      if (text) next.set("q", text);
      else next.delete("q");
      next.delete("offset");
      return next;
    }),
    [setParams],
  );
  const [text, setText] = useDebouncedSearch(q, commit);

  useEffect(() => {
    document.title = "Accounts · GoLive";
  }, []);

  return (
    <section className="page" data-testid="accounts-page">
      <header className="page-header">
        <div>
          <h1>
            Accounts
            {page ? <span className="muted" data-testid="accounts-total"> · {page.total}</span> : null}
          </h1>
          <p className="muted small">The people who signed up to watch: what they hold, where they are signed in.</p>
        </div>
      </header>
      <div className="filters">
        <label htmlFor="accounts-search" className="visually-hidden">Search accounts</label>
        <input id="accounts-search" type="search" placeholder="Search by email or name" value={text} onChange={(e) => setText(e.target.value)} data-testid="accounts-search" />
      </div>
      <ErrorMessage>{error}</ErrorMessage>
      {page && page.items.length > 0 ? (
        <div className={loading ? "is-refreshing" : undefined}>
          <div className="table-wrap">
            <table className="table" data-testid="accounts-table">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sign-in</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((row) => (
                  <tr key={row.accountId} className={row.status === "active" ? undefined : "row-inactive"} data-testid="account-row">
                    <td className="cell-title">
                      <Link to={`/admin/accounts/${encodeURIComponent(row.accountId)}`}>{row.name || row.email}</Link>
                      <div className="muted small">{row.email} · joined {formatShortDate(row.createdAt)}{row.emailVerified ? "" : " · not verified"}</div>
                    </td>
                    <td><span className={`badge badge-${row.status === "active" ? "published" : "cancelled"}`}>{row.status}</span></td>
                    <td>{row.lastLoginAt ? formatShortDateTime(row.lastLoginAt) : "never"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            total={page.total}
            limit={page.limit || PAGE_SIZE}
            offset={page.offset}
            onChange={(to) => setParams((current) => {
              const next = new URLSearchParams(current);
              if (to) next.set("offset", String(to));
              else next.delete("offset");
              return next;
            })}
          />
        </div>
      ) : loading ? (
        <Spinner />
      ) : page ? (
        <div className="card empty-state" data-testid="accounts-empty">
          <p>{q ? "No account matches this search." : "Nobody has signed up yet."}</p>
        </div>
      ) : null}
    </section>
  );
}
