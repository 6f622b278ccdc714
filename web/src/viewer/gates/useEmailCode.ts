import { useEffect, useRef, useState } from "react";
import type { RegistrationResponse } from "../../api/types";
import { isValidEmail } from "../../lib/validation";
import type { GateInput } from "../useAdmission";
import { emailCodeErrors, normalizeCode, type EmailCodeFieldErrors, type MagicLink } from "./emailCode";

interface Options {
  register: (input: GateInput) => Promise<RegistrationResponse>;
  /** From the emailed magic link: submitted once, automatically. */
  magicLink?: MagicLink | null;
  onMagicLinkUsed?: () => void;
  /** Restoring a purchase: a code that admits this browser without a payment found says so. */
  paymentExpected?: boolean;
  /** A code already went to this address (a form sent with an address registered on another device). */
  sentTo?: string | null;
  /** The address to offer before anything is sent (an invitation's link names it). */
  initialEmail?: string | null;
}

export type EmailCodeFlow = ReturnType<typeof useEmailCode>;

/** Enter an email, get a 6-digit code, enter the code: the state of that two-step exchange. */
export function useEmailCode({ register, magicLink = null, onMagicLinkUsed, paymentExpected = false, sentTo = null, initialEmail = null }: Options) {
  const [email, setEmail] = useState(magicLink?.email ?? sentTo ?? initialEmail ?? "");
  const [code, setCode] = useState(magicLink?.code ?? "");
  const [codeSent, setCodeSent] = useState(Boolean(magicLink) || Boolean(sentTo));
  const [fieldErrors, setFieldErrors] = useState<EmailCodeFieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const magicTried = useRef(false);

  async function send(input: GateInput, step: "email" | "code") {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const res = await register(input);
      if (step === "email" && (res.codeSent || !res.accessVerified)) setCodeSent(true);
      else if (step === "code" && !res.accessVerified && !res.requiresPayment) setError("That code did not work. Check it and try again.");
      else if (step === "code" && paymentExpected && res.requiresPayment) {
        setError("We found no payment made with this email for this event. Try the email you paid with, or go back to pay.");
      }
    } catch (err) {
      const shown = emailCodeErrors(err);
      setFieldErrors(shown.fields);
      setError(shown.message);
    } finally {
      setBusy(false);
    }
  }

  function submit() {
    const trimmed = email.trim();
    if (!isValidEmail(trimmed)) {
      setFieldErrors({ email: "Enter a valid email address." });
      return;
    }
    if (!codeSent) {
      void send({ email: trimmed }, "email");
      return;
    }
    const digits = normalizeCode(code);
    if (!digits) {
      setFieldErrors({ code: "Enter the 6-digit code from the email." });
      return;
    }
    void send({ email: trimmed, code: digits }, "code");
  }

  function resend() {
    void send({ email: email.trim() }, "email");
  }

  function changeEmail() {
    setCodeSent(false);
    setCode("");
    setError(null);
    setFieldErrors({});
  }

  useEffect(() => {
    if (!magicLink || magicTried.current) return;
    magicTried.current = true;
    onMagicLinkUsed?.();
    void send({ email: magicLink.email.trim(), code: magicLink.code.trim() }, "code");
  }, [magicLink]);

  return { email, setEmail, code, setCode, codeSent, fieldErrors, error, busy, submit, resend, changeEmail };
}
