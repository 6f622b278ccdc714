import type { RegistrationResponse } from "../../api/types";

interface Props {
  registration: RegistrationResponse;
  price: string;
  onRecheck: () => void;
}

/** Paid events: the viewer is registered but has not paid (yet). */
export function PaymentOverlay({ registration, price, onRecheck }: Props) {
  const failed = registration.paymentStatus === "failed";
  const pending = registration.paymentStatus === "pending";
  return (
    <div className="gate-card payment-overlay" data-testid="payment-overlay" data-payment-status={registration.paymentStatus}>
      <h2>{failed ? "Payment failed, try again" : pending ? "Confirming your payment…" : "Get access"}</h2>
      {failed ? (
        <p className="alert alert-error" role="alert" data-testid="payment-failed">
          Payment failed, try again. You have not been charged for this attempt.
        </p>
      ) : pending ? (
        <p className="muted" role="status">This takes a few seconds after checkout. The page updates by itself.</p>
      ) : (
        <p>Watching this event costs <strong data-testid="price">{price}</strong>.</p>
      )}
      {registration.checkoutUrl ? (
        <a className="btn btn-primary btn-block btn-large" href={registration.checkoutUrl} data-testid="pay-button">
          Pay {price}
        </a>
      ) : null}
      <button type="button" className="btn btn-link" onClick={onRecheck} data-testid="payment-recheck">
        I already paid, check again
      </button>
    </div>
  );
}
