// Client-side validation of the viewer registration form. It mirrors the
// server's rules so most mistakes show before a round trip; the server's
// answer (details.fields) still wins when it disagrees.
import type { FormField } from "../api/types";

export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;
export type FieldErrors = Record<string, string>;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const TEL_RE = /^\+?[\d\s().-]{5,20}$/;
export const DEFAULT_MAX_LENGTH = 500;
export const DEFAULT_TEXTAREA_MAX_LENGTH = 5000;

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_RE.test(value.trim());
}

export function maxLengthOf(field: FormField): number {
  if (field.maxLength && field.maxLength > 0) return field.maxLength;
  return field.type === "textarea" ? DEFAULT_TEXTAREA_MAX_LENGTH : DEFAULT_MAX_LENGTH;
}

/** The error message for one field's value, or null when it is acceptable. */
export function validateFormField(field: FormField, value: FormValue | undefined): string | null {
  if (field.type === "checkbox") {
    return field.required && value !== true ? "This box must be checked." : null;
  }
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) return field.required ? `${field.label || field.name} is required.` : null;
  if (text.length > maxLengthOf(field)) return `Must be at most ${maxLengthOf(field)} characters.`;
  switch (field.type) {
    case "email":
      return isValidEmail(text) ? null : "Enter a valid email address.";
    case "tel":
      return TEL_RE.test(text) ? null : "Enter a valid phone number.";
    case "number":
      return text !== "" && Number.isFinite(Number(text)) ? null : "Enter a number.";
    case "select":
      return field.options.includes(text) ? null : "Choose one of the options.";
    default:
      return null;
  }
}

export function validateRegistrationForm(fields: FormField[], values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    const message = validateFormField(field, values[field.name]);
    if (message) errors[field.name] = message;
  }
  return errors;
}

/** The `formData` body: checkboxes as booleans, numbers as numbers, trimmed text; empty optional values left out. */
export function toFormData(fields: FormField[], values: FormValues): Record<string, string | boolean | number> {
  const data: Record<string, string | boolean | number> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === "checkbox") {
      data[field.name] = value === true;
      continue;
    }
    const text = typeof value === "string" ? value.trim() : "";
    if (!text) continue;
    data[field.name] = field.type === "number" ? Number(text) : text;
  }
  return data;
}

/** Server field errors (`formData.company`) keyed back to the form field name (`company`). */
export function stripFieldPrefix(fields: Record<string, string>, prefix: string): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = message;
    else if (key === prefix) out[""] = message;
  }
  return out;
}
