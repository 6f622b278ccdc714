import { useState, type FormEvent } from "react";
import { ApiError, grants } from "../../api/client";
import type { ComplimentaryGrant } from "../../api/types";
import { isValidEmail } from "../../lib/validation";
import { Field, describedBy } from "../../shared/Field";
import { ErrorMessage } from "../../shared/Status";
import { endOfDayIso, todayInput } from "./complimentaryView";

/** Gives an address free access; the server's field errors show under each input. */
export function GrantForm({ eventId, onGranted }: { eventId: string; onGranted: (grant: ComplimentaryGrant) => void }) {
  const [email, setEmail] = useState("");
  const [until, setUntil] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const address = email.trim();
    if (!isValidEmail(address)) {
      setErrors({ email: "Enter a valid email address." });
      return;
    }
    setBusy(true);
    setMessage(null);
    setErrors({});
    try {
      const granted = await grants.create(eventId, { email: address, validUntil: until ? endOfDayIso(until) : null });
      setEmail("");
      setUntil("");
      onGranted(granted);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fields);
        setMessage(err.message);
      } else {
        setMessage("Could not give access. Please try again.");
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card editor-section" onSubmit={submit} noValidate data-testid="grant-form">
      <h2>Give free access</h2>
      <p className="muted small">
        The person gets an email. On any device they prove the address with a code we send them and watch, without the
        password or a payment.
      </p>
      <ErrorMessage testId="grant-error">{message}</ErrorMessage>
      <div className="admin-form grant-form">
        <Field id="grant-email" label="Email" error={errors.email} errorTestId="grant-error-email">
          <input
            id="grant-email"
            type="email"
            inputMode="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            data-testid="grant-email"
            {...describedBy("grant-email", errors.email)}
          />
        </Field>
        <Field id="grant-until" label="Until (optional)" error={errors.validUntil} errorTestId="grant-error-until" hint="Through the end of that day.">
          <input
            id="grant-until"
            type="date"
            min={todayInput()}
            value={until}
            onChange={(e) => setUntil(e.target.value)}
            data-testid="grant-until"
            {...describedBy("grant-until", errors.validUntil, true)}
          />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="grant-submit">
          {busy ? "Giving access…" : "Give access"}
        </button>
      </div>
    </form>
  );
}
