import type { ComplimentaryGrant } from "../../api/types";
import { formatShortDate, formatShortDateTime } from "../../lib/time";
import { STATUS_LABELS, claimedText } from "./complimentaryView";

interface Props {
  items: ComplimentaryGrant[];
  /** Absent for editors: they see the list, admins and owners revoke. */
  onRevoke?: (grant: ComplimentaryGrant) => void;
  busyId: string | null;
}

/** The event's complimentary grants, newest first, each with its state and the devices that proved it. */
export function GrantsTable({ items, onRevoke, busyId }: Props) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="grants-table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Status</th>
            <th scope="col">Until</th>
            <th scope="col">Claimed</th>
            <th scope="col">Given</th>
            {onRevoke ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((grant) => (
            <tr key={grant.grantId} className={grant.status === "active" ? undefined : "row-inactive"} data-testid="grant-row" data-email={grant.email}>
              <td className="cell-title" data-testid="grant-row-email">{grant.email}</td>
              <td>
                <span className={`pill ${grant.status === "active" ? "pill-ok" : ""}`} data-testid="grant-status" data-status={grant.status}>
                  {STATUS_LABELS[grant.status]}
                </span>
                {grant.revokedAt ? <div className="muted small">{formatShortDateTime(grant.revokedAt)}</div> : null}
              </td>
              <td className="cell-nowrap" title={grant.validUntil ? formatShortDateTime(grant.validUntil) : undefined}>
                {grant.validUntil ? formatShortDate(grant.validUntil) : "No end"}
              </td>
              <td data-testid="grant-claimed">{claimedText(grant)}</td>
              <td className="cell-nowrap">{formatShortDate(grant.createdAt)}</td>
              {onRevoke ? (
                <td>
                  {grant.status !== "revoked" ? (
                    <button
                      type="button"
                      className="btn btn-danger-outline btn-small"
                      disabled={busyId !== null}
                      onClick={() => onRevoke(grant)}
                      aria-label={`Revoke access of ${grant.email}`}
                      data-testid="grant-revoke"
                    >
                      {busyId === grant.grantId ? "Revoking…" : "Revoke"}
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
