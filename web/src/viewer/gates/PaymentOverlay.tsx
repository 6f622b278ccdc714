import { useEffect, useState } from "react";
import { viewer } from "../../api/client";
import type { PriceOnSale, RegistrationResponse } from "../../api/types";
import { formatPrice } from "../../lib/money";
import { Spinner } from "../../shared/Status";
import { gateErrorMessage } from "../useAdmission";
import { InvitedLink, RestoreLink } from "./PurchaseRestore";

interface Props {
  eventId: string;
  registration: RegistrationResponse;
  /** The event's default price, shown until the prices on sale now are known. */
  price: string;
  /** The viewer is back from the checkout (or paying in another tab) and the payment has not landed yet. */
  waiting: boolean;
  /** The viewer left the checkout without paying. */
  cancelled: boolean;
  /** Embeds open the checkout in a new tab: providers refuse to be framed. */
  embedded: boolean;
  /** Opens (or reuses) the viewer's checkout at the chosen price and gives its URL: only a press of "Pay" opens one. */
  onPay: (priceId?: string) => Promise<string>;
  onCheckoutOpened: () => void;
  onRecheck: () => void;
  /** Paid on another device: prove it with the email paid with instead of paying again. */
  onRestore: () => void;
  /** Someone the organizer gave free access proves their address instead of paying. */
  onInvited: () => void;
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
export function PaymentOverlay({ eventId, registration, price: defaultPrice, waiting, cancelled, embedded, onPay, onCheckoutOpened, onRecheck, onRestore, onInvited }: Props) {
  const state = overlayState(registration, waiting, cancelled);
  const [opening, setOpening] = useState(false);
  const [payError, setPayError] = useState<string | null>(null);
  // The prices on sale now (an early-bird price leaves this list when its window closes); several: a choice.
  const [onSale, setOnSale] = useState<PriceOnSale[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    viewer
      .prices(eventId, controller.signal)
      .then((list) => {
        setOnSale(list.items);
        setChosen((current) => (list.items.some((p) => p.priceId === current) ? current : (list.items[0]?.priceId ?? null)));
      })
      .catch(() => undefined); // the default price stays shown; the checkout still picks the first on sale
    return () => controller.abort();
  }, [eventId]);
  const selected = onSale.find((p) => p.priceId === chosen) ?? null;
  const price = selected ? formatPrice(selected.amount, selected.currency) : defaultPrice;

  async function pay() {
    setOpening(true);
    setPayError(null);
    // Embeds pay in a new tab (providers refuse to be framed): opened during the click, or popup blockers stop it.
    const tab = embedded ? window.open("", "_blank") : null;
    try {
      const url = await onPay(selected?.priceId);
      if (!embedded) {
        // (a second press meanwhile gets the same checkout; "back" from it finds the button ready)
        window.location.assign(url);
      } else {
        if (tab) {
          tab.opener = null;
          tab.location.href = url;
        } else {
          window.open(url, "_blank", "noopener");
        }
        onCheckoutOpened();
      }
    } catch (err) {
      tab?.close();
      setPayError(gateErrorMessage(err));
    }
    setOpening(false);
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
      {onSale.length > 1 && state !== "waiting" ? (
        <fieldset className="price-choice" data-testid="price-choice">
          <legend>Choose your ticket</legend>
          {onSale.map((p) => (
            <label key={p.priceId} data-testid="price-option">
              <input type="radio" name="price" value={p.priceId} checked={p.priceId === chosen} onChange={() => setChosen(p.priceId)} />
              <span>
                {p.name || p.offerName} <strong>{formatPrice(p.amount, p.currency)}</strong>
                {p.remaining != null ? <span className="muted small"> ({p.remaining} left)</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {payError ? (
        <p className="alert alert-error" role="alert" data-testid="pay-error">
          {payError}
        </p>
      ) : null}
      {state !== "waiting" ? (
        <button
          type="button"
          className="btn btn-primary btn-block btn-large"
          onClick={() => void pay()}
          disabled={opening}
          aria-busy={opening}
          data-testid="pay-button"
        >
          {opening ? "Opening the checkout…" : state === "failed" ? `Try again: pay ${price}` : `Pay ${price}`}
        </button>
      ) : null}
      {state === "waiting" ? (
        <button type="button" className="btn btn-link" onClick={onRecheck} data-testid="payment-recheck">
          I already paid, check again
        </button>
      ) : (
        <>
          <RestoreLink onRestore={onRestore} />
          <InvitedLink onInvited={onInvited} />
        </>
      )}
    </div>
  );
}
