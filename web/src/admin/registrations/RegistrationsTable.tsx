import type { FormField, Registration } from "../../api/types";
import { formatShortDateTime } from "../../lib/time";
import { formFieldColumns, formValueText, formatWatchTime, identityOf } from "./registrationView";

function YesNo({ value }: { value: boolean }) {
  return <span className={value ? "yes-no-yes" : "yes-no-no"}>{value ? "Yes" : "No"}</span>;
}

/** One row per person (their devices folded in), with a column for each custom field of the event's form. */
export function RegistrationsTable({ items, formFields }: { items: Registration[]; formFields: FormField[] }) {
  const columns = formFieldColumns(formFields);
  return (
    <div className="table-wrap">
      <table className="table" data-testid="registrations-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            {columns.map((f) => (
              <th scope="col" key={f.name} data-testid={`column-${f.name}`}>{f.label || f.name}</th>
            ))}
            <th scope="col">Access</th>
            <th scope="col">Verified</th>
            <th scope="col">Payment</th>
            <th scope="col">Devices</th>
            <th scope="col">Sessions</th>
            <th scope="col">Watched</th>
            <th scope="col">First joined</th>
            <th scope="col">Last joined</th>
          </tr>
        </thead>
        <tbody>
          {items.map((row) => (
            <tr key={row.viewerId} data-testid="registration-row" data-viewer-id={row.viewerId}>
              <td data-testid="registration-name">{identityOf(row, "name")}</td>
              <td data-testid="registration-email">{identityOf(row, "email")}</td>
              {columns.map((f) => (
                <td key={f.name} data-testid={`registration-field-${f.name}`}>{formValueText(row.formData?.[f.name])}</td>
              ))}
              <td>{row.accessMode}</td>
              <td><YesNo value={row.accessVerified} /></td>
              <td data-testid="registration-payment">{row.isPaidViewer ? "Paid" : row.paymentStatus}</td>
              <td className="cell-muted" data-testid="registration-devices">
                {row.deviceCount > 1 ? `${row.deviceCount} devices` : row.deviceType}
              </td>
              <td>{row.totalSessions}</td>
              <td>{formatWatchTime(row.totalWatchTime)}</td>
              <td className="cell-nowrap">{formatShortDateTime(row.firstJoinAt)}</td>
              <td className="cell-nowrap">{formatShortDateTime(row.lastJoinAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
