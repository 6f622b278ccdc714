import { useState } from "react";
import { ApiError } from "../../api/client";
import type { FormField, RegistrationResponse } from "../../api/types";
import { stripFieldPrefix, toFormData, validateRegistrationForm, type FieldErrors, type FormValues } from "../../lib/validation";
import { RegistrationFieldInput } from "../../shared/RegistrationFieldInput";
import { gateErrorMessage, type GateInput } from "../useAdmission";
import { useAccountPrefill } from "./accountPrefill";
import { EmailCodeStep } from "./EmailCodeStep";
import type { MagicLink } from "./emailCode";
import { GateCard } from "./GateCard";
import { useEmailCode } from "./useEmailCode";

interface Props {
  fields: FormField[];
  register: (input: GateInput) => Promise<RegistrationResponse>;
  priceNote?: string;
  /** From the emailed re-entry link (`?code=…&email=…`): submitted automatically. */
  magicLink: MagicLink | null;
  onMagicLinkUsed: () => void;
}

/**
 * Form events: the registration form built from the event's `formFields`, or, for someone who
 * registered on another device, re-entry with a code sent to the email they registered with.
 */
export function FormGate({ magicLink, onMagicLinkUsed, ...props }: Props) {
  const [reentry, setReentry] = useState(Boolean(magicLink));
  // The form was sent with an address that registered on another device: the server emailed it a code.
  const [sentTo, setSentTo] = useState<string | null>(null);
  if (reentry || sentTo) {
    return (
      <FormReentry
        register={props.register}
        priceNote={props.priceNote}
        magicLink={magicLink}
        onMagicLinkUsed={onMagicLinkUsed}
        sentTo={sentTo}
        onBack={() => {
          setReentry(false);
          setSentTo(null);
        }}
      />
    );
  }
  return <RegistrationForm {...props} onReentry={() => setReentry(true)} onCodeSent={setSentTo} />;
}

function FormReentry({
  onBack,
  priceNote,
  sentTo,
  ...options
}: Omit<Props, "fields"> & { onBack: () => void; sentTo: string | null }) {
  const flow = useEmailCode({ ...options, sentTo });
  return (
    <EmailCodeStep
      kind="form"
      flow={flow}
      title="Continue with your email"
      intro={<p>Enter the email you registered with and we will send you a 6-digit code.</p>}
      note={
        sentTo ? (
          <p data-testid="already-registered">
            This email is already registered for this event. To continue on this device, enter the code we sent to it.
          </p>
        ) : null
      }
      priceNote={priceNote}
      extraFooter={
        <button type="button" className="btn btn-link" disabled={flow.busy} onClick={onBack} data-testid="form-back">
          Not registered yet? Fill in the form
        </button>
      }
    />
  );
}

function RegistrationForm({
  fields,
  register,
  priceNote,
  onReentry,
  onCodeSent,
}: Omit<Props, "magicLink" | "onMagicLinkUsed"> & { onReentry: () => void; onCodeSent: (email: string) => void }) {
  const [values, setValues] = useState<FormValues>({});
  // a signed-in viewer finds their address and name filled in; the event's other questions are still asked
  useAccountPrefill(fields, (known) => setValues((typed) => ({ ...known, ...typed })));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    const clientErrors = validateRegistrationForm(fields, values);
    setErrors(clientErrors);
    if (Object.keys(clientErrors).length > 0) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const formData = toFormData(fields, values);
      const res = await register({ formData });
      const email = fields.find((f) => f.type === "email" && typeof formData[f.name] === "string");
      if (res.codeSent && !res.accessVerified && email) onCodeSent(String(formData[email.name]));
    } catch (err) {
      const serverErrors = err instanceof ApiError ? stripFieldPrefix(err.fields, "formData") : {};
      const { "": general, ...byField } = serverErrors;
      const known = Object.fromEntries(Object.entries(byField).filter(([name]) => fields.some((f) => f.name === name)));
      setErrors(known);
      setError(Object.keys(known).length > 0 && !general ? null : general ?? gateErrorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <GateCard
      kind="form"
      title="Register to watch"
      intro={priceNote}
      error={error}
      busy={busy}
      submitLabel={priceNote ? "Register, then pay" : "Register and watch"}
      onSubmit={submit}
      footer={
        <div className="gate-footer">
          <button type="button" className="btn btn-link" disabled={busy} onClick={onReentry} data-testid="form-reentry">
            Already registered? Continue with your email
          </button>
        </div>
      }
    >
      {fields.map((field) => (
        <RegistrationFieldInput
          key={field.name}
          idPrefix="gate"
          field={field}
          value={values[field.name]}
          error={errors[field.name]}
          disabled={busy}
          onChange={(value) => {
            setValues((v) => ({ ...v, [field.name]: value }));
            if (errors[field.name]) setErrors(({ [field.name]: _gone, ...rest }) => rest);
          }}
        />
      ))}
    </GateCard>
  );
}
