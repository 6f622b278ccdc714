import type { FormField } from "../api/types";
import type { FormValue } from "../lib/validation";
import { maxLengthOf } from "../lib/validation";
import { Field, describedBy } from "./Field";

interface Props {
  field: FormField;
  value: FormValue | undefined;
  error?: string | null;
  idPrefix: string;
  onChange: (value: FormValue) => void;
  disabled?: boolean;
  /** Prefix of the data-testids (`field-<name>`), so a preview does not clash with a real form. */
  testIdPrefix?: string;
}

const INPUT_TYPES: Partial<Record<FormField["type"], string>> = { email: "email", tel: "tel", number: "number", text: "text" };
const AUTOCOMPLETE: Record<string, string> = { email: "email", name: "name", firstName: "given-name", lastName: "family-name", company: "organization", phone: "tel" };

/** One field of an event's registration form, as the viewer sees it (also the admin's live preview). */
export function RegistrationFieldInput({ field, value, error, idPrefix, onChange, disabled, testIdPrefix = "" }: Props) {
  const id = `${idPrefix}-${field.name || "field"}`;
  const label = (
    <>
      {field.label || field.name || "Untitled field"}
      {field.required ? <span className="required-mark" aria-hidden="true"> *</span> : null}
    </>
  );
  const common = {
    id,
    name: field.name,
    required: field.required,
    disabled,
    "data-testid": `${testIdPrefix}field-${field.name}`,
    ...describedBy(id, error),
  };
  const text = typeof value === "string" ? value : "";

  let control;
  if (field.type === "checkbox") {
    control = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  } else if (field.type === "select") {
    control = (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        <option value="">{field.placeholder || "Choose…"}</option>
        {field.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (field.type === "textarea") {
    control = (
      <textarea {...common} rows={4} value={text} maxLength={maxLengthOf(field)} placeholder={field.placeholder ?? undefined} onChange={(e) => onChange(e.target.value)} />
    );
  } else {
    control = (
      <input
        {...common}
        type={INPUT_TYPES[field.type] ?? "text"}
        value={text}
        maxLength={field.type === "number" ? undefined : maxLengthOf(field)}
        inputMode={field.type === "number" ? "decimal" : undefined}
        autoComplete={AUTOCOMPLETE[field.name] ?? (field.type === "email" ? "email" : field.type === "tel" ? "tel" : undefined)}
        placeholder={field.placeholder ?? undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <Field id={id} label={label} error={error} errorTestId={`${testIdPrefix}field-error-${field.name}`} inline={field.type === "checkbox"}>
      {control}
    </Field>
  );
}
