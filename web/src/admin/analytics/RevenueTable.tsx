import type { RevenueRow } from "../../api/types";
import { formatPrice } from "../../lib/money";
import { formatCount } from "./format";

/** Payments per currency: gross, refunded and net, in each currency's own units. */
export function RevenueTable({ rows }: { rows: RevenueRow[] }) {
  return (
    <div className="table-wrap table-flat">
      <table className="table table-compact" data-testid="revenue-table">
        <thead>
          <tr>
            <th scope="col">Currency</th>
            <th scope="col" className="num">Payments</th>
            <th scope="col" className="num">Gross</th>
            <th scope="col" className="num">Refunded</th>
            <th scope="col" className="num">Net</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.currency} data-testid="revenue-row" data-currency={row.currency}>
              <td>{row.currency}</td>
              <td className="num">{formatCount(row.payments)}</td>
              <td className="num">{formatPrice(row.gross, row.currency)}</td>
              <td className="num">{formatPrice(row.refunded, row.currency)}</td>
              <td className="num" data-testid="revenue-net">
                <strong>{formatPrice(row.net, row.currency)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
