import type { LedgerStatus } from "../../api/types";
import { PAYMENT_STATUS_LABELS } from "./paymentView";

export function PaymentStatusBadge({ status }: { status: LedgerStatus }) {
  return (
    <span className={`badge pay-badge pay-${status}`} data-testid="payment-status" data-status={status}>
      {PAYMENT_STATUS_LABELS[status] ?? status}
    </span>
  );
}
