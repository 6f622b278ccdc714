import { Link } from "react-router-dom";
import type { PaymentOut } from "../../api/types";
import { formatPrice } from "../../lib/money";
import { formatShortDateTime } from "../../lib/time";
import { PaymentStatusBadge } from "./PaymentStatusBadge";
import { providerLabel, refundableAmount } from "./paymentView";

interface Props {
  items: PaymentOut[];
  /** Hide the event column on an event's own page. */
  showEvent: boolean;
  /** null: the admin may not refund (editors), so no button at all. */
  onRefund: ((payment: PaymentOut) => void) | null;
}

/** One row per payment, newest first, with a refund button for what can still be refunded. */
export function PaymentsTable({ items, showEvent, onRefund }: Props) {
  return (
    <div className="table-wrap">
      <table className="table payments-table" data-testid="payments-table">
        <thead>
          <tr>
            <th scope="col">Viewer · payment</th>
            {showEvent ? <th scope="col">Event</th> : null}
            <th scope="col" className="num">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">Provider</th>
            <th scope="col">Date</th>
            {onRefund ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((p) => {
            const remaining = refundableAmount(p);
            return (
              <tr key={p.paymentId} data-testid="payment-row" data-payment-id={p.paymentId} data-status={p.status}>
                <td className="cell-viewer">
                  <div className="payment-email" data-testid="payment-email">{p.viewerEmail ?? <span className="muted">No email</span>}</div>
                  <div className="payment-id" data-testid="payment-id">
                    {p.receiptUrl ? (
                      <a href={p.receiptUrl} target="_blank" rel="noreferrer" title="Open the receipt">{p.paymentId}</a>
                    ) : (
                      p.paymentId
                    )}
                  </div>
                </td>
                {showEvent ? (
                  <td className="cell-title">
                    <Link to={`/admin/events/${p.eventId}/payments`} data-testid="payment-event">{p.eventTitle}</Link>
                  </td>
                ) : null}
                <td className="num" data-testid="payment-amount">
                  <strong>{formatPrice(p.amount, p.currency)}</strong>
                  {p.refundedAmount > 0 ? (
                    <div className="refunded-note" data-testid="payment-refunded">−{formatPrice(p.refundedAmount, p.currency)} refunded</div>
                  ) : null}
                </td>
                <td>
                  <PaymentStatusBadge status={p.status} />
                  {p.failureReason ? <div className="failure-note" title={p.failureReason}>{p.failureReason}</div> : null}
                </td>
                <td className="cell-muted">
                  {providerLabel(p.provider)}
                  {p.paymentMethod ? <div className="payment-method">{p.paymentMethod}</div> : null}
                </td>
                <td className="cell-date" title={`Started ${formatShortDateTime(p.initiatedAt)}${p.confirmedAt ? `, paid ${formatShortDateTime(p.confirmedAt)}` : ""}`}>
                  {formatShortDateTime(p.confirmedAt ?? p.initiatedAt)}
                  {p.confirmedAt ? null : <div className="payment-method">not paid</div>}
                </td>
                {onRefund ? (
                  <td className="cell-actions">
                    {remaining > 0 ? (
                      <button type="button" className="btn btn-secondary btn-small" onClick={() => onRefund(p)} data-testid="refund-button">
                        Refund
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
