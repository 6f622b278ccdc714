import { ADMIN_ROLES, type Admin, type AdminUpdate } from "../../api/types";
import { formatShortDate, formatShortDateTime } from "../../lib/time";

interface Props {
  items: Admin[];
  currentAdminId: string;
  busyId: string | null;
  onUpdate: (admin: Admin, patch: AdminUpdate) => void;
}

/** The admin team: role picker and deactivate / reactivate per member. */
export function AdminsTable({ items, currentAdminId, busyId, onUpdate }: Props) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="admins-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Last login</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {items.map((admin) => {
            const busy = busyId === admin.adminId;
            const active = admin.status === "active";
            return (
              <tr key={admin.adminId} className={active ? undefined : "row-inactive"} data-testid="admin-row" data-email={admin.email}>
                <td className="cell-title">
                  {admin.name} {admin.adminId === currentAdminId ? <span className="muted small">(you)</span> : null}
                  <div className="muted small">added {formatShortDate(admin.createdAt)}</div>
                </td>
                <td>{admin.email}</td>
                <td>
                  <label className="visually-hidden" htmlFor={`role-${admin.adminId}`}>Role of {admin.name}</label>
                  <select
                    id={`role-${admin.adminId}`}
                    value={admin.role}
                    disabled={busy}
                    onChange={(e) => onUpdate(admin, { role: e.target.value as Admin["role"] })}
                    data-testid="admin-role"
                  >
                    {ADMIN_ROLES.map((r) => (
                      <option key={r} value={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td data-testid="admin-status">
                  <span className={`pill ${active ? "pill-ok" : ""}`}>{admin.status}</span>
                </td>
                <td className="cell-nowrap" title={formatShortDateTime(admin.lastLoginAt)}>{formatShortDate(admin.lastLoginAt)}</td>
                <td>
                  {active ? (
                    <button type="button" className="btn btn-danger-outline btn-small" disabled={busy} onClick={() => onUpdate(admin, { status: "inactive" })} data-testid="admin-deactivate">
                      Deactivate
                    </button>
                  ) : (
                    <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => onUpdate(admin, { status: "active" })} data-testid="admin-reactivate">
                      Reactivate
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
