// How the registrations page reads its query from the URL and shows each row's values.
import type { FormField, Registration, RegistrationQuery } from "../../api/types";

export const REGISTRATIONS_PAGE_SIZE = 25;

/** Form fields already shown in the fixed Name and Email columns. */
const BUILT_IN = new Set(["name", "email"]);

export function queryFromParams(params: URLSearchParams): RegistrationQuery {
  const offset = Number(params.get("offset") ?? 0);
  return {
    q: params.get("q") ?? "",
    accessMode: (params.get("accessMode") ?? "") as RegistrationQuery["accessMode"],
    paymentStatus: (params.get("paymentStatus") ?? "") as RegistrationQuery["paymentStatus"],
    accessVerified: (params.get("accessVerified") ?? "") as RegistrationQuery["accessVerified"],
    limit: REGISTRATIONS_PAGE_SIZE,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** One column per custom form field of the event (name and email have their own). */
export function formFieldColumns(fields: FormField[]): FormField[] {
  return fields.filter((f) => !BUILT_IN.has(f.name.toLowerCase()));
}

/** A submitted form value as table text. */
export function formValueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The viewer's name or email, from the registration or, failing that, from the form. */
export function identityOf(row: Registration, key: "name" | "email"): string {
  const direct = row[key];
  if (direct) return direct;
  return formValueText(row.formData[key]);
}

/** "1h 02m", "4m 05s", "0s" for seconds watched. */
export function formatWatchTime(totalSeconds: number | null | undefined): string {
  const s = Math.max(0, Math.floor(totalSeconds ?? 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

export function hasFilters(query: RegistrationQuery): boolean {
  return Boolean(query.q || query.accessMode || query.paymentStatus || query.accessVerified);
}
