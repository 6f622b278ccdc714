import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import type { PublicEvent } from "../api/types";
import { formatPrice } from "../lib/money";
import { Spinner } from "../shared/Status";
import { AnonymousGate } from "./gates/AnonymousGate";
import { EmailGate } from "./gates/EmailGate";
import { FormGate } from "./gates/FormGate";
import { PasswordGate } from "./gates/PasswordGate";
import { PaymentOverlay } from "./gates/PaymentOverlay";
import { PurchaseRestore } from "./gates/PurchaseRestore";
import { useAdmission } from "./useAdmission";

// The player (and hls.js behind it) loads only once the viewer is admitted.
const VideoPlayer = lazy(() => import("./player/VideoPlayer"));

interface Props {
  event: PublicEvent;
  /** Embeds honour the event's autoplay setting. */
  embedded: boolean;
  onReplayFound: (found: boolean) => void;
  onEventStale: () => void;
  /** The console's embed preview: the gate submits nothing and the player plays with the admin's session. */
  preview?: boolean;
}

/** Gate → paid overlay → player, for one event. */
export function EventAccess({ event, embedded, onReplayFound, onEventStale, preview = false }: Props) {
  const [params, setParams] = useSearchParams();
  // Where the provider's checkout sent the viewer back: ?checkout=success (paid, maybe not confirmed yet) or cancelled.
  const checkoutReturn = params.get("checkout");
  const { admission, register, accessDenied, recheck, waiting, checkoutOpened } = useAdmission(
    event,
    embedded,
    checkoutReturn === "success",
    preview,
  );
  const price = event.isPaidEvent ? formatPrice(event.priceAmount, event.currency) : "";
  const priceNote = event.isPaidEvent && price ? `Access to this event costs ${price}.` : undefined;
  const autoplay = embedded && event.embedSettings?.autoplay === true;
  // Paid events: a payer on a new device proves the purchase with their email instead of paying again.
  const [restoring, setRestoring] = useState(false);
  // Anonymous and password gates have no email step of their own: their emailed link lands here.
  const restoresByLink = event.isPaidEvent && (event.accessType === "anonymous" || event.accessType === "password");
  const onRestore = event.isPaidEvent ? () => setRestoring(true) : undefined;

  const magicLink = useMemo(() => {
    const code = params.get("code");
    const email = params.get("email");
    return code && email ? { code, email } : null;
  }, [params]);
  // Once the viewer is in, the checkout's return marker has done its job: keep it out of reloads and shares.
  useEffect(() => {
    if (admission.step !== "admitted" || !checkoutReturn) return;
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete("checkout");
        return next;
      },
      { replace: true },
    );
  }, [admission.step, checkoutReturn, setParams]);

  // Restored (or paid): back to the player, and no stale restore screen if access is lost later.
  useEffect(() => {
    if (admission.step === "admitted") setRestoring(false);
  }, [admission.step]);

  const dropMagicLink = useCallback(() => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete("code");
        next.delete("email");
        return next;
      },
      { replace: true },
    );
  }, [setParams]);

  if (event.status === "cancelled") {
    return (
      <div className="player-message" data-testid="event-cancelled">
        <h2>This event was cancelled</h2>
      </div>
    );
  }

  // A magic link beats the stored state: it is what the viewer just clicked.
  const step = magicLink && admission.step !== "admitted" ? "gate" : admission.step;

  if (step === "checking") return <Spinner label="Checking access…" />;

  if (admission.step !== "admitted" && (restoring || (magicLink && restoresByLink))) {
    return (
      <PurchaseRestore
        register={register}
        magicLink={restoresByLink ? magicLink : null}
        onMagicLinkUsed={dropMagicLink}
        onBack={() => {
          setRestoring(false);
          // a code request answers without opening a checkout: fetch one for the paywall now
          if (admission.step === "payment" && !admission.registration.checkoutUrl) void recheck();
        }}
      />
    );
  }

  if (step === "gate") {
    switch (event.accessType) {
      case "form":
        return (
          <FormGate fields={event.formFields} register={register} priceNote={priceNote} magicLink={magicLink} onMagicLinkUsed={dropMagicLink} />
        );
      case "password":
        return <PasswordGate register={register} priceNote={priceNote} onRestore={onRestore} />;
      case "email":
        return <EmailGate register={register} priceNote={priceNote} magicLink={magicLink} onMagicLinkUsed={dropMagicLink} />;
      default:
        return (
          <AnonymousGate register={register} autoAdmit={autoplay && !event.isPaidEvent} priceNote={priceNote} onRestore={onRestore} />
        );
    }
  }

  if (admission.step === "payment") {
    return (
      <PaymentOverlay
        registration={admission.registration}
        price={price}
        waiting={waiting}
        cancelled={checkoutReturn === "cancelled"}
        embedded={embedded}
        onCheckoutOpened={checkoutOpened}
        onRecheck={() => void recheck()}
        onRestore={() => setRestoring(true)}
      />
    );
  }

  if (admission.step !== "admitted") return null;
  return (
    <Suspense fallback={<div className="player player-loading" data-testid="player"><Spinner label="Loading player…" /></div>}>
      <VideoPlayer
        event={event}
        token={admission.token}
        autoplay={autoplay || !embedded}
        startMuted={embedded && event.embedSettings?.muted === true}
        onAccessDenied={accessDenied}
        onReplayFound={onReplayFound}
        onEventStale={onEventStale}
      />
    </Suspense>
  );
}
