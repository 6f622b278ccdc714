import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, viewer } from "../api/client";
import type { PublicEvent, RegistrationRequest, RegistrationResponse } from "../api/types";
import { callSequence } from "../lib/callSequence";
import { clearViewerToken, getClientViewerId, loadViewerToken, saveViewerToken } from "../lib/storage";

export type Admission =
  | { step: "checking" }
  | { step: "gate" }
  | { step: "payment"; registration: RegistrationResponse }
  | { step: "admitted"; token: string };

export type GateInput = Omit<RegistrationRequest, "eventId" | "clientViewerId" | "returnPath">;

/**
 * The POST /api/registrations body for a gate's input. Under /embed/{eventId} every call names the embed
 * as the page to come back to: an emailed code's magic link and a paid event's checkout return there.
 */
export function registrationBody(eventId: string, clientViewerId: string, input: GateInput, embedded: boolean): RegistrationRequest {
  const body: RegistrationRequest = { eventId, clientViewerId, ...input };
  if (embedded) body.returnPath = `/embed/${eventId}`;
  return body;
}

/** Whether to keep asking the server if a payment has landed: it is processing, or the viewer just paid. */
export function awaitsPayment(registration: RegistrationResponse, checkoutDone: boolean): boolean {
  if (registration.isPaidViewer || !registration.requiresPayment) return false;
  if (registration.paymentStatus === "pending") return true;
  return checkoutDone && registration.paymentStatus !== "failed";
}

/**
 * What the console's embed preview answers a gate with, instead of POST /api/registrations: the gate is
 * shown and "passed" without a request, so a preview never leaves a viewer, a payment or a session behind.
 * The player then plays with the admin's own session (no viewer token, hence no telemetry).
 */
export function previewRegistration(): RegistrationResponse {
  return {
    viewerId: "",
    token: null,
    accessVerified: true,
    paymentStatus: "none",
    isPaidViewer: false,
    requiresPayment: false,
    checkoutUrl: null,
    codeSent: false,
  };
}

const PAYMENT_POLL_MS = 3000;
const PAYMENT_POLL_LIMIT = 60;

/**
 * The admission workflow of one viewer for one event: re-entry with the stored
 * token or client id, the gate, the paid overlay, then an access token.
 */
export function useAdmission(event: PublicEvent, embedded = false, returnedFromCheckout = false, preview = false) {
  const { eventId } = event;
  const [admission, setAdmission] = useState<Admission>({ step: "checking" });
  // The viewer came back from (or, in an embed, opened) the provider's checkout: wait for the webhook.
  const [checkoutDone, setCheckoutDone] = useState(returnedFromCheckout);
  // Read (or created) before the first render: a gate that submits as it mounts (a magic link) needs it.
  const [browser] = useState(getClientViewerId);
  const pollCount = useRef(0);
  // Calls can overlap (a re-entry check still running when a magic link's code is sent): only the answer
  // to the latest call may move the viewer, so a stale "please pay" never replaces a fresh "admitted".
  const calls = useRef(callSequence());

  const send = useCallback(
    async (input: GateInput): Promise<{ res: RegistrationResponse; latest: boolean }> => {
      const isLatest = calls.current.start();
      const res = preview
        ? previewRegistration()
        : await viewer.register(registrationBody(eventId, browser.id, input, embedded));
      return { res, latest: isLatest() };
    },
    [eventId, embedded, browser.id, preview],
  );

  const apply = useCallback(
    (res: RegistrationResponse): RegistrationResponse => {
      // A token of a viewer who still owes the payment opens nothing: keep it out of storage, so a
      // reload asks the server again (and lands on the paid overlay, not on a refused player).
      if (res.token && !res.requiresPayment) saveViewerToken(eventId, res.token);
      if (res.requiresPayment) setAdmission({ step: "payment", registration: res });
      else if (res.accessVerified && res.token) setAdmission({ step: "admitted", token: res.token });
      else if (res.accessVerified && preview) setAdmission({ step: "admitted", token: "" });
      return res;
    },
    [eventId, preview],
  );

  /** Submit the gate. Throws ApiError for the gate to show. */
  const register = useCallback(
    async (input: GateInput) => {
      const { res, latest } = await send(input);
      return latest ? apply(res) : res;
    },
    [apply, send],
  );

  /** Re-entry: a returning viewer who already cleared the gate skips it. */
  const probe = useCallback(async (): Promise<boolean> => {
    try {
      const { res, latest } = await send({});
      if (latest) apply(res);
      return res.accessVerified || res.requiresPayment;
    } catch {
      return false;
    }
  }, [apply, send]);

  useEffect(() => {
    if (preview) {
      setAdmission({ step: "gate" }); // the admin sees the gate as a first-time viewer does
      return;
    }
    let cancelled = false;
    const token = loadViewerToken(eventId);
    if (token) {
      setAdmission({ step: "admitted", token });
      return;
    }
    if (!browser.existed) {
      setAdmission({ step: "gate" });
      return;
    }
    setAdmission({ step: "checking" });
    void probe().then((admitted) => {
      // A gate submitted meanwhile (e.g. a magic link) may already have admitted the viewer.
      if (!cancelled && !admitted) setAdmission((current) => (current.step === "checking" ? { step: "gate" } : current));
    });
    return () => {
      cancelled = true;
    };
  }, [eventId, probe, browser.existed, preview]);

  // After checkout the provider's webhook confirms the payment; poll until it lands.
  const waiting = admission.step === "payment" && awaitsPayment(admission.registration, checkoutDone);
  useEffect(() => {
    if (!waiting) return;
    pollCount.current = 0;
    const timer = window.setInterval(() => {
      pollCount.current += 1;
      if (pollCount.current > PAYMENT_POLL_LIMIT) window.clearInterval(timer);
      else void probe();
    }, PAYMENT_POLL_MS);
    return () => window.clearInterval(timer);
  }, [waiting, probe]);

  /** The player was refused (token expired, payment refunded, gate changed): ask the server where the
   * viewer stands (the paid overlay, say), and show the gate only if they no longer pass it. */
  const accessDenied = useCallback(() => {
    clearViewerToken(eventId);
    setCheckoutDone(false);
    setAdmission({ step: "checking" });
    void probe().then((known) => {
      if (!known) setAdmission({ step: "gate" });
    });
  }, [eventId, probe]);

  /** The checkout opened in another tab (embeds cannot frame it): wait for the payment here. */
  const checkoutOpened = useCallback(() => setCheckoutDone(true), []);

  /** The viewer pressed "Pay" (at a price they chose, or the first on sale): the checkout to send them to
   * (their open one, or a new one). */
  const startCheckout = useCallback(async (priceId?: string): Promise<string> => {
    if (admission.step !== "payment" || !admission.registration.token) throw new Error("not at the paywall");
    const body = { ...(embedded ? { returnPath: `/embed/${eventId}` } : {}), ...(priceId ? { priceId } : {}) };
    return (await viewer.checkout(eventId, admission.registration.token, body)).checkoutUrl;
  }, [admission, embedded, eventId]);

  return { admission, register, accessDenied, recheck: probe, waiting, checkoutOpened, startCheckout };
}

/** The gate's message for a failed registration. */
export function gateErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 429) {
      const wait = err.retryAfter;
      return wait != null ? `Too many attempts, try again in ${wait} seconds.` : "Too many attempts, try again later.";
    }
    return err.message;
  }
  return "Something went wrong. Please try again.";
}
