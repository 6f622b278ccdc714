import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useSearchParams } from "react-router-dom";
import type { PublicEvent } from "../api/types";
import { formatPrice } from "../lib/money";
import { Spinner } from "../shared/Status";
import { AccountGate } from "./gates/AccountGate";
import { AnonymousGate } from "./gates/AnonymousGate";
import { EmailGate } from "./gates/EmailGate";
import { FormGate } from "./gates/FormGate";
import { PasswordGate } from "./gates/PasswordGate";
import { PaymentOverlay } from "./gates/PaymentOverlay";
import { InvitedAccess } from "./gates/InvitedAccess";
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
  /** The viewer token once admitted (null before, or once access is lost): the chat joins with it. */
  onAdmitted?: (token: string | null) => void;
}

/** Gate → paid overlay → player, for one event. */
export function EventAccess({ event, embedded, onReplayFound, onEventStale, preview = false, onAdmitted }: Props) {
  const [params, setParams] = useSearchParams();
  // Where the provider's checkout sent the viewer back: ?checkout=success (paid, maybe not confirmed yet) or cancelled.
  const checkoutReturn = params.get("checkout");
  const { admission, register, accessDenied, recheck, waiting, checkoutOpened, startCheckout } = useAdmission(
    event,
    embedded,
    checkoutReturn === "success",
    preview,
  );
  const price = event.isPaidEvent ? formatPrice(event.priceAmount, event.currency) : "";
  const priceNote = event.isPaidEvent && price ? `Watching this event costs ${price}; you pay after this step.` : undefined;
  const startsAt = event.status === "scheduled" || event.status === "draft" ? event.scheduledStart : null;
  const autoplay = embedded && event.embedSettings?.autoplay === true;
  // Paid events: a payer on a new device proves the purchase with their email instead of paying again.
  const [restoring, setRestoring] = useState(false);
  // Anonymous and password gates have no email step of their own: their emailed link lands here.
  const restoresByLink = event.isPaidEvent && (event.accessType === "anonymous" || event.accessType === "password");
  const onRestore = event.isPaidEvent ? () => setRestoring(true) : undefined;
  // Complimentary access: an invitation's link (`?invite=<email>`) opens the email step at once; password gates and
  // paid events offer it under the gate (email and form gates take an email already; free open events need nothing).
  const invitedEmail = params.get("invite");
  const [inviting, setInviting] = useState(Boolean(invitedEmail));
  const onInvited = event.accessType === "password" || event.isPaidEvent ? () => setInviting(true) : undefined;
  // A free password event has no restore step: the emailed code's link lands on the invitation's.
  const invitesByLink = event.accessType === "password" && !event.isPaidEvent;

  const magicLink = useMemo(() => {
    const code = params.get("code");
    const email = params.get("email");
    return code && email ? { code, email } : null;
  }, [params]);
  // Once the viewer is in, the checkout's return marker and a magic link have done their job: keep them
  // out of reloads and shares.
  useEffect(() => {
    if (admission.step !== "admitted" || !(checkoutReturn || magicLink || invitedEmail)) return;
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const name of ["checkout", "code", "email", "invite"]) next.delete(name);
        return next;
      },
      { replace: true },
    );
  }, [admission.step, checkoutReturn, magicLink, invitedEmail, setParams]);

  // Admitted by what the viewer just did here (a gate, a payment, a code), not by a stored token on load:
  // the focus moves to the player and a screen reader hears that it opened.
  const [openedHere, setOpenedHere] = useState(false);
  const previousStep = useRef(admission.step);
  useEffect(() => {
    const before = previousStep.current;
    previousStep.current = admission.step;
    if (admission.step === "admitted" && (before === "gate" || before === "payment")) setOpenedHere(true);
  }, [admission.step]);

  const admittedToken = admission.step === "admitted" && admission.token ? admission.token : null;
  useEffect(() => {
    onAdmitted?.(admittedToken);
  }, [admittedToken, onAdmitted]);

  // Restored (or paid): back to the player, and no stale restore screen if access is lost later.
  useEffect(() => {
    if (admission.step === "admitted") {
      setRestoring(false);
      setInviting(false);
    }
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

  // Every step renders next to the same live region, so it is on the page before its words change.
  const announced = (content: ReactNode) => (
    <>
      {content}
      <p className="visually-hidden" role="status" data-testid="access-announcement">
        {openedHere && admission.step === "admitted" ? "You are in. The video player is open." : ""}
      </p>
    </>
  );

  if (event.status === "cancelled") {
    return announced(
      <div className="player-message" data-testid="event-cancelled">
        <h2>This event was cancelled</h2>
      </div>,
    );
  }

  // A magic link beats a "please pay" from the re-entry check (it may be the proof of payment), but waits for
  // that check: a browser that is already in needs no code, and one that is not sends it once the check is done.
  const step = magicLink && admission.step === "payment" ? "gate" : admission.step;

  if (step === "checking") return announced(<Spinner label="Checking access…" />);

  if (admission.step !== "admitted" && (inviting || (magicLink && invitesByLink))) {
    return announced(
      <InvitedAccess
        register={register}
        invitedEmail={invitedEmail}
        magicLink={invitesByLink ? magicLink : null}
        onMagicLinkUsed={dropMagicLink}
        onBack={() => setInviting(false)}
      />,
    );
  }

  if (admission.step !== "admitted" && (restoring || (magicLink && restoresByLink))) {
    return announced(
      <PurchaseRestore
        register={register}
        magicLink={restoresByLink ? magicLink : null}
        onMagicLinkUsed={dropMagicLink}
        onBack={() => setRestoring(false)}
      />
    );
  }

  if (step === "gate") {
    switch (event.accessType) {
      case "form":
        return announced(
          <FormGate fields={event.formFields} register={register} priceNote={priceNote} magicLink={magicLink} onMagicLinkUsed={dropMagicLink} />,
        );
      case "password":
        return announced(<PasswordGate register={register} priceNote={priceNote} onRestore={onRestore} onInvited={onInvited} />);
      case "email":
        return announced(<EmailGate register={register} priceNote={priceNote} magicLink={magicLink} onMagicLinkUsed={dropMagicLink} />);
      case "account":
        return announced(<AccountGate eventId={event.eventId} embedded={embedded} priceNote={priceNote} />);
      default:
        return announced(
          <AnonymousGate
            register={register}
            autoAdmit={autoplay && !event.isPaidEvent}
            price={price || undefined}
            startsAt={startsAt}
            onStart={onEventStale}
            onRestore={onRestore}
            onInvited={onInvited}
          />,
        );
    }
  }

  if (admission.step === "payment") {
    return announced(
      <PaymentOverlay
        eventId={event.eventId}
        registration={admission.registration}
        price={price}
        waiting={waiting}
        cancelled={checkoutReturn === "cancelled"}
        embedded={embedded}
        onPay={startCheckout}
        onCheckoutOpened={checkoutOpened}
        onRecheck={() => void recheck()}
        onRestore={() => setRestoring(true)}
        onInvited={() => setInviting(true)}
      />,
    );
  }

  if (admission.step !== "admitted") return announced(null);
  return announced(
    <Suspense fallback={<div className="player player-loading" data-testid="player"><Spinner label="Loading player…" /></div>}>
      <VideoPlayer
        event={event}
        token={admission.token}
        autoplay={autoplay || !embedded}
        startMuted={embedded && event.embedSettings?.muted === true}
        onAccessDenied={accessDenied}
        onReplayFound={onReplayFound}
        onEventStale={onEventStale}
        takeFocus={openedHere}
      />
    </Suspense>,
  );
}
