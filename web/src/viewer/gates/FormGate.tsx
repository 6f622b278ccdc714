import { useState } from "react";
import { ApiError } from "../../api/client";
import type { FormField } from "../../api/types";
import { stripFieldPrefix, toFormData, validateRegistrationForm, type FieldErrors, type FormValues } from "../../lib/validation";
import { RegistrationFieldInput } from "../../shared/RegistrationFieldInput";
import { gateErrorMessage, type GateInput } from "../useAdmission";
import { GateCard } from "./GateCard";

interface Props {
  fields: FormField[];
  register: (input: GateInput) => Promise<unknown>;
  priceNote?: string;
}

/** Registration form built from the event's `formFields`. */
export function FormGate({ fields, register, priceNote }: Props) {
  const [values, setValues] = useState<FormValues>({});
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
      await register({ formData: toFormData(fields, values) });
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
    <GateCard kind="form" title="Register to watch" intro={priceNote} error={error} busy={busy} submitLabel="Register and watch" onSubmit={submit}>
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
