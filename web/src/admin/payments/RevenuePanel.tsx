import { Link } from "react-router-dom";
import type { EventRevenue } from "../../api/types";
import { formatPrice } from "../../lib/money";
import { formatCount, plural } from "../analytics/format";
import { totalsByCurrency } from "./paymentView";

/** Net takings per currency as tiles, and (across events) one row per event and currency. */
export function RevenuePanel({ rows, showEvents }: { rows: EventRevenue[]; showEvents: boolean }) {
  const totals = totalsByCurrency(rows);
  return (
    <section aria-labelledby="revenue-title" data-testid="revenue-panel">
      <h2 id="revenue-title" className="section-title">Revenue</h2>
      {totals.length === 0 ? (
        <p className="muted card empty-state small" data-testid="revenue-empty">No payments have succeeded yet.</p>
      ) : (
        <div className="stat-grid" data-testid="revenue-totals">
          {totals.map((t) => (
            <div key={t.currency} className="stat-tile" data-testid="revenue-total" data-currency={t.currency} data-net={t.net} data-refunded={t.refunded}>
              <div className="stat-label">Net · {t.currency}</div>
              <div className="stat-value" data-testid="revenue-total-net">{formatPrice(t.net, t.currency)}</div>
              <div className="stat-hint" data-testid="revenue-total-detail">
                {formatPrice(t.gross, t.currency)} gross · {formatPrice(t.refunded, t.currency)} refunded · {plural(t.payments, "payment")}
              </div>
            </div>
          ))}
        </div>
      )}
      {showEvents && rows.length > 0 ? (
        <div className="table-wrap revenue-events">
          <table className="table table-compact" data-testid="revenue-by-event">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Currency</th>
                <th scope="col" className="num">Payments</th>
                <th scope="col" className="num">Gross</th>
                <th scope="col" className="num">Refunded</th>
                <th scope="col" className="num">Net</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.eventId}:${row.currency}`} data-testid="revenue-event-row" data-event-id={row.eventId} data-currency={row.currency} data-net={row.netAmount}>
                  <td className="cell-title">
                    <Link to={`/admin/events/${row.eventId}/payments`}>{row.eventTitle}</Link>
                  </td>
                  <td>{row.currency}</td>
                  <td className="num">{formatCount(row.succeededPayments)}</td>
                  <td className="num">{formatPrice(row.grossAmount, row.currency)}</td>
                  <td className="num" data-testid="revenue-event-refunded">{formatPrice(row.refundedAmount, row.currency)}</td>
                  <td className="num" data-testid="revenue-event-net">
                    <strong>{formatPrice(row.netAmount, row.currency)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
