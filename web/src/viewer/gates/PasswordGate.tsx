import { useState } from "react";
import { ApiError } from "../../api/client";
import { Field, describedBy } from "../../shared/Field";
import { gateErrorMessage, type GateInput } from "../useAdmission";
import { GateCard } from "./GateCard";
import { RestoreFooter } from "./PurchaseRestore";

interface Props {
  register: (input: GateInput) => Promise<unknown>;
  priceNote?: string;
  /** Paid events: someone who paid on another device comes back with their email instead. */
  onRestore?: () => void;
  /** Password gates and paid events: someone the organizer gave free access continues with their email. */
  onInvited?: () => void;
}

/** Password-protected events. */
export function PasswordGate({ register, priceNote, onRestore, onInvited }: Props) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);

  async function submit() {
    if (!password) {
      setFieldError("Enter the password.");
      return;
    }
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      await register({ password });
    } catch (err) {
      const message = err instanceof ApiError ? err.fields.password : undefined;
      if (message) setFieldError(message);
      else setError(gateErrorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <GateCard
      kind="password"
      title="This event is password protected"
      intro={priceNote}
      error={error}
      busy={busy}
      submitLabel="Continue"
      onSubmit={submit}
      footer={<RestoreFooter onRestore={onRestore} onInvited={onInvited} disabled={busy} />}
    >
      <Field id="gate-password" label="Password" error={fieldError} errorTestId="field-error-password">
        <input
          id="gate-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          data-testid="field-password"
          {...describedBy("gate-password", fieldError)}
        />
      </Field>
    </GateCard>
  );
}
