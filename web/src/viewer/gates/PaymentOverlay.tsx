import type { MouseEvent } from "react";
import type { RegistrationResponse } from "../../api/types";
import { Spinner } from "../../shared/Status";
import { RestoreLink } from "./PurchaseRestore";

interface Props {
  registration: RegistrationResponse;
  price: string;
  /** The viewer is back from the checkout (or paying in another tab) and the payment has not landed yet. */
  waiting: boolean;
  /** The viewer left the checkout without paying. */
  cancelled: boolean;
  /** Embeds open the checkout in a new tab: providers refuse to be framed. */
  embedded: boolean;
  onCheckoutOpened: () => void;
  onRecheck: () => void;
  /** Paid on another device: prove it with the email paid with instead of paying again. */
  onRestore: () => void;
}

type OverlayState = "waiting" | "failed" | "refunded" | "cancelled" | "due";

export function overlayState(registration: RegistrationResponse, waiting: boolean, cancelled: boolean): OverlayState {
  if (waiting) return "waiting";
  if (registration.paymentStatus === "failed") return "failed";
  if (registration.paymentStatus === "refunded") return "refunded";
  return cancelled ? "cancelled" : "due";
}

const TITLES: Record<OverlayState, string> = {
  waiting: "Waiting for your payment to confirm",
  failed: "Payment failed, try again",
  refunded: "Your payment was refunded",
  cancelled: "Checkout cancelled",
  due: "Pay and watch",
};

/** Paid events: the viewer is registered but has not paid (yet). */
export function PaymentOverlay({ registration, price, waiting, cancelled, embedded, onCheckoutOpened, onRecheck, onRestore }: Props) {
  const state = overlayState(registration, waiting, cancelled);
  const checkoutUrl = registration.checkoutUrl;

  function openInNewTab(e: MouseEvent<HTMLAnchorElement>) {
    if (!embedded || !checkoutUrl) return;
    e.preventDefault();
    window.open(checkoutUrl, "_blank", "noopener");
    onCheckoutOpened();
  }

  return (
    <div
      className="gate-card payment-overlay"
      data-testid="payment-overlay"
      data-payment-status={registration.paymentStatus}
      data-state={state}
    >
      <h2>{TITLES[state]}</h2>
      {state === "waiting" ? (
        <div data-testid="payment-waiting">
          <Spinner label="Confirming your payment…" />
          <p className="muted">This usually takes a few seconds. The video starts by itself once it is confirmed.</p>
        </div>
      ) : state === "failed" ? (
        <p className="alert alert-error" role="alert" data-testid="payment-failed">
          Your payment did not go through. You have not been charged; please try again or use another card.
        </p>
      ) : state === "refunded" ? (
        <p role="status" data-testid="payment-refunded">
          Your payment was refunded, so this event is no longer unlocked. Pay again to watch.
        </p>
      ) : state === "cancelled" ? (
        <p role="status" data-testid="payment-cancelled">
          You left the checkout without paying. Watching this event costs <strong>{price}</strong>.
        </p>
      ) : (
        <p>
          Watching this event costs <strong data-testid="price">{price}</strong>.
        </p>
      )}
      {state !== "waiting" && checkoutUrl ? (
        <a
          className="btn btn-primary btn-block btn-large"
          href={checkoutUrl}
          onClick={openInNewTab}
          target={embedded ? "_blank" : undefined}
          rel={embedded ? "noopener" : undefined}
          data-testid="pay-button"
        >
          {state === "failed" ? `Try again: pay ${price}` : `Pay ${price}`}
        </a>
      ) : null}
      {state === "waiting" ? (
        <button type="button" className="btn btn-link" onClick={onRecheck} data-testid="payment-recheck">
          I already paid, check again
        </button>
      ) : (
        <RestoreLink onRestore={onRestore} />
      )}
    </div>
  );
}
