import type { ReactNode } from "react";
import { Field, describedBy } from "../../shared/Field";
import { GateCard } from "./GateCard";
import type { EmailCodeFlow } from "./useEmailCode";

interface Props {
  kind: "email" | "form" | "purchase" | "invited";
  flow: EmailCodeFlow;
  /** Heading and explanation before the code is sent. */
  title: string;
  intro: ReactNode;
  priceNote?: string;
  /** Said above the card's text in both steps (why a code was sent without being asked for). */
  note?: ReactNode;
  /** More links under the card (e.g. back to the registration form). */
  extraFooter?: ReactNode;
}

/** The email → 6-digit code card: the email gate, and re-entry on a new device (form gate, paid events). */
export function EmailCodeStep({ kind, flow, title, intro, priceNote, note, extraFooter }: Props) {
  const { email, setEmail, code, setCode, codeSent, fieldErrors, error, busy } = flow;
  return (
    <GateCard
      kind={kind}
      title={codeSent ? "Check your email" : title}
      intro={
        <>
          {priceNote ? <p>{priceNote}</p> : null}
          {note}
          {codeSent ? (
            <p data-testid="code-sent">
              We sent a code to <strong>{email.trim()}</strong>. Enter it below, or open the link in the email.
            </p>
          ) : (
            intro
          )}
        </>
      }
      error={error}
      busy={busy}
      submitLabel={codeSent ? "Verify and watch" : "Send code"}
      onSubmit={flow.submit}
      footer={
        codeSent || extraFooter ? (
          <div className="gate-footer">
            {codeSent ? (
              <>
                <button type="button" className="btn btn-link" disabled={busy} onClick={flow.resend} data-testid="resend-code">
                  Send a new code
                </button>
                <button type="button" className="btn btn-link" disabled={busy} onClick={flow.changeEmail} data-testid="change-email">
                  Use another email
                </button>
              </>
            ) : null}
            {extraFooter}
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
