import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, viewer } from "../api/client";
import type { PublicEvent, RegistrationRequest, RegistrationResponse } from "../api/types";
import { clearViewerToken, getClientViewerId, loadViewerToken, saveViewerToken } from "../lib/storage";

export type Admission =
  | { step: "checking" }
  | { step: "gate" }
  | { step: "payment"; registration: RegistrationResponse }
  | { step: "admitted"; token: string };

export type GateInput = Omit<RegistrationRequest, "eventId" | "clientViewerId" | "returnPath">;

/**
 * The POST /api/registrations body for a gate's input. Under /embed/{eventId} a request for an
 * emailed code asks for a magic link back to the embed, not the event page.
 */
export function registrationBody(eventId: string, clientViewerId: string, input: GateInput, embedded: boolean): RegistrationRequest {
  const body: RegistrationRequest = { eventId, clientViewerId, ...input };
  if (embedded && input.email && !input.code) body.returnPath = `/embed/${eventId}`;
  return body;
}

const PAYMENT_POLL_MS = 4000;
const PAYMENT_POLL_LIMIT = 45;

/**
 * The admission workflow of one viewer for one event: re-entry with the stored
 * token or client id, the gate, the paid overlay, then an access token.
 */
export function useAdmission(event: PublicEvent, embedded = false) {
  const { eventId } = event;
  const [admission, setAdmission] = useState<Admission>({ step: "checking" });
  const clientViewerId = useRef<string>("");
  const pollCount = useRef(0);

  const apply = useCallback(
    (res: RegistrationResponse): RegistrationResponse => {
      if (res.token) saveViewerToken(eventId, res.token);
      if (res.requiresPayment) setAdmission({ step: "payment", registration: res });
      else if (res.accessVerified && res.token) setAdmission({ step: "admitted", token: res.token });
      return res;
    },
    [eventId],
  );

  /** Submit the gate. Throws ApiError for the gate to show. */
  const register = useCallback(
    async (input: GateInput) => apply(await viewer.register(registrationBody(eventId, clientViewerId.current, input, embedded))),
    [apply, eventId, embedded],
  );

  /** Re-entry: a returning viewer who already cleared the gate skips it. */
  const probe = useCallback(async (): Promise<boolean> => {
    try {
      const res = await viewer.register({ eventId, clientViewerId: clientViewerId.current });
      apply(res);
      return res.accessVerified || res.requiresPayment;
    } catch {
      return false;
    }
  }, [apply, eventId]);

  useEffect(() => {
    let cancelled = false;
    const { id, existed } = getClientViewerId();
    clientViewerId.current = id;
    const token = loadViewerToken(eventId);
    if (token) {
      setAdmission({ step: "admitted", token });
      return;
    }
    if (!existed) {
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
  }, [eventId, probe]);

  // After checkout the provider's webhook confirms the payment; poll until it lands.
  const pending = admission.step === "payment" && admission.registration.paymentStatus === "pending";
  useEffect(() => {
    if (!pending) return;
    pollCount.current = 0;
    const timer = window.setInterval(() => {
      pollCount.current += 1;
      if (pollCount.current > PAYMENT_POLL_LIMIT) window.clearInterval(timer);
      else void probe();
    }, PAYMENT_POLL_MS);
    return () => window.clearInterval(timer);
  }, [pending, probe]);

  /** The player was refused (token expired or revoked, payment missing): show the gate again. */
  const accessDenied = useCallback(() => {
    clearViewerToken(eventId);
    setAdmission({ step: "gate" });
  }, [eventId]);

  return { admission, register, accessDenied, recheck: probe };
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
