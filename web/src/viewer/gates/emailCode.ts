// Pure rules of the email-code step, shared by the email gate and the form gate's new-device re-entry.
import { ApiError } from "../../api/client";
import { gateErrorMessage } from "../useAdmission";

export interface EmailCodeFieldErrors {
  email?: string;
  code?: string;
}

/** The emailed magic link's query (`?code=…&email=…`). */
export interface MagicLink {
  email: string;
  code: string;
}

const CODE_RE = /^\d{6}$/;

/** The 6-digit code as typed ("123 456" is fine), or null when it is not one. */
export function normalizeCode(raw: string): string | null {
  const digits = raw.replace(/\s/g, "");
  return CODE_RE.test(digits) ? digits : null;
}

/**
 * Where a failed email or code request is shown: under the email or code field when the server
 * names one (`details.fields.email` / `.code`), otherwise as the gate's message (429 with its wait).
 */
export function emailCodeErrors(err: unknown): { fields: EmailCodeFieldErrors; message: string | null } {
  const fields = err instanceof ApiError ? err.fields : {};
  if (fields.email || fields.code) {
    const named: EmailCodeFieldErrors = {};
    if (fields.email) named.email = fields.email;
    if (fields.code) named.code = fields.code;
    return { fields: named, message: null };
  }
  return { fields: {}, message: gateErrorMessage(err) };
}
