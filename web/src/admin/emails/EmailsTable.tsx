import { Link } from "react-router-dom";
import type { EmailOut } from "../../api/types";
import { formatShortDateTime } from "../../lib/time";
import { EMAIL_STATUS_LABELS, deliveryNote, emailTypeLabel } from "./emailView";

interface Props {
  items: EmailOut[];
  /** The message being sent again, whose button is busy. */
  resending: string | null;
  onResend: (email: EmailOut) => void;
}

/** One row per message, newest first: to whom, what, how its delivery went; the text on demand; resend. */
export function EmailsTable({ items, resending, onResend }: Props) {
  return (
    <div className="table-wrap">
      <table className="table emails-table" data-testid="emails-table">
        <thead>
          <tr>
            <th scope="col">Recipient · subject</th>
            <th scope="col">Type</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Sent</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {items.map((email) => {
            const note = deliveryNote(email);
            return (
              <tr key={email.emailId} data-testid="email-row" data-email-id={email.emailId} data-status={email.status}>
                <td className="cell-recipient">
                  <div className="email-recipient" data-testid="email-recipient">{email.recipientEmail}</div>
                  <div className="email-subject">{email.subject}</div>
                  <details className="email-body">
                    <summary>Show message</summary>
                    <pre data-testid="email-body">{email.bodyText}</pre>
                  </details>
                </td>
                <td data-label="Type" data-testid="email-type">{emailTypeLabel(email.emailType)}</td>
                <td data-label="Event">
                  {email.eventId ? (
                    <Link to={`/admin/events/${email.eventId}`}>{email.eventTitle ?? email.eventId}</Link>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td data-label="Status">
                  <span className={`badge email-badge email-${email.status}`} data-testid="email-status">
                    {EMAIL_STATUS_LABELS[email.status] ?? email.status}
                  </span>
                  {email.resentFromId ? <div className="email-note">Resent copy</div> : null}
                  {note ? <div className="email-note">{note}</div> : null}
                  {email.errorMessage ? <div className="failure-note" title={email.errorMessage} data-testid="email-error">{email.errorMessage}</div> : null}
                </td>
                <td data-label="Sent" className="cell-date">
                  <time dateTime={email.sentAt ?? email.createdAt}>{formatShortDateTime(email.sentAt ?? email.createdAt)}</time>
                  {email.provider ? <div className="email-note">via {email.provider}</div> : null}
                </td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    onClick={() => onResend(email)}
                    disabled={resending !== null}
                    aria-label={`Resend to ${email.recipientEmail}`}
                    data-testid="resend-button"
                  >
                    {resending === email.emailId ? "Sending…" : "Resend"}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
