import { useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { isValidEmail } from "../../lib/validation";
import { Field, describedBy } from "../../shared/Field";
import { gateErrorMessage, type GateInput } from "../useAdmission";
import type { RegistrationResponse } from "../../api/types";
import { GateCard } from "./GateCard";

interface Props {
  register: (input: GateInput) => Promise<RegistrationResponse>;
  priceNote?: string;
  /** From the emailed magic link (`?code=…&email=…`): submitted automatically. */
  magicLink: { email: string; code: string } | null;
  onMagicLinkUsed: () => void;
}

const CODE_RE = /^\d{6}$/;

/** Email access: enter an email, get a 6-digit code, enter the code. */
export function EmailGate({ register, priceNote, magicLink, onMagicLinkUsed }: Props) {
  const [email, setEmail] = useState(magicLink?.email ?? "");
  const [code, setCode] = useState(magicLink?.code ?? "");
  const [codeSent, setCodeSent] = useState(Boolean(magicLink));
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; code?: string }>({});
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
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : {};
      if (fields.email || fields.code) setFieldErrors({ email: fields.email, code: fields.code });
      else setError(gateErrorMessage(err));
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
    const digits = code.replace(/\s/g, "");
    if (!CODE_RE.test(digits)) {
      setFieldErrors({ code: "Enter the 6-digit code from the email." });
      return;
    }
    void send({ email: trimmed, code: digits }, "code");
  }

  useEffect(() => {
    if (!magicLink || magicTried.current) return;
    magicTried.current = true;
    onMagicLinkUsed();
    void send({ email: magicLink.email.trim(), code: magicLink.code.trim() }, "code");
  }, [magicLink]);

  return (
    <GateCard
      kind="email"
      title={codeSent ? "Check your email" : "Confirm your email to watch"}
      intro={
        <>
          {priceNote ? <p>{priceNote}</p> : null}
          {codeSent ? (
            <p data-testid="code-sent">We sent you a code at <strong>{email.trim()}</strong>. Enter it below, or open the link in the email.</p>
          ) : (
            <p>We will email you a 6-digit code.</p>
          )}
        </>
      }
      error={error}
      busy={busy}
      submitLabel={codeSent ? "Verify and watch" : "Send code"}
      onSubmit={submit}
      footer={
        codeSent ? (
          <div className="gate-footer">
            <button type="button" className="btn btn-link" disabled={busy} onClick={() => void send({ email: email.trim() }, "email")} data-testid="resend-code">
              Send a new code
            </button>
            <button
              type="button"
              className="btn btn-link"
              disabled={busy}
              onClick={() => {
                setCodeSent(false);
                setCode("");
                setError(null);
              }}
              data-testid="change-email"
            >
              Use another email
            </button>
          </div>
        ) : null
      }
    >
      <Field id="gate-email" label="Email" error={fieldErrors.email} errorTestId="field-error-email">
        <input
          id="gate-email"
          type="email"
          autoComplete="email"
          value={email}
          readOnly={codeSent}
          onChange={(e) => setEmail(e.target.value)}
          required
          data-testid="field-email"
          {...describedBy("gate-email", fieldErrors.email)}
        />
      </Field>
      {codeSent ? (
        <Field id="gate-code" label="6-digit code" error={fieldErrors.code} errorTestId="field-error-code">
          <input
            id="gate-code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={7}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoFocus
            required
            data-testid="field-code"
            {...describedBy("gate-code", fieldErrors.code)}
          />
        </Field>
      ) : null}
    </GateCard>
  );
}
