// The dashboards' date range: a preset (last 24 hours, 7 or 30 days; on an event's page also "during the
// event", its own span as the server works it out) or a custom from/to, kept in the URL.
import type { AnalyticsRange } from "../../api/types";

export const RANGE_PRESETS = {
  "24h": { label: "Last 24 hours", ms: 24 * 3600 * 1000 },
  "7d": { label: "Last 7 days", ms: 7 * 24 * 3600 * 1000 },
  "30d": { label: "Last 30 days", ms: 30 * 24 * 3600 * 1000 },
} as const;
export type PresetKey = keyof typeof RANGE_PRESETS;
/** The event's own span: no from/to sent, the server answers with the span it used. */
export const EVENT_SPAN = "event";
export const EVENT_SPAN_LABEL = "During the event";
export type ChoiceKey = PresetKey | typeof EVENT_SPAN;
export type RangeKey = ChoiceKey | "custom";
export const DEFAULT_RANGE: PresetKey = "7d";

export interface DashboardRange extends AnalyticsRange {
  key: RangeKey;
  /** Why a custom range cannot be asked for; nothing is loaded then. */
  error: string | null;
}

const MINUTE = 60_000;

function isPreset(key: string | null): key is PresetKey {
  return key !== null && Object.hasOwn(RANGE_PRESETS, key);
}

/** A preset ending at the next whole minute after `nowMs` (so a re-render asks for the same range). */
export function presetRange(key: PresetKey, nowMs: number): DashboardRange {
  const end = Math.ceil(nowMs / MINUTE) * MINUTE;
  return {
    key,
    from: new Date(end - RANGE_PRESETS[key].ms).toISOString(),
    to: new Date(end).toISOString(),
    error: null,
  };
}

function readInstant(value: string | null): string | null | undefined {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `?range=24h|7d|30d|event` or `?range=custom&from=…&to=…` (either end may be open); presets end at `nowMs`;
 * without a (known) range, `fallback`. */
export function rangeFromParams(params: URLSearchParams, nowMs: number, fallback: ChoiceKey = DEFAULT_RANGE): DashboardRange {
  const asked = params.get("range");
  const key = asked === "custom" || asked === EVENT_SPAN || isPreset(asked) ? asked : fallback;
  if (key === EVENT_SPAN) return { key, from: null, to: null, error: null };
  if (key !== "custom") return presetRange(key, nowMs);
  const from = readInstant(params.get("from"));
  const to = readInstant(params.get("to"));
  if (from === undefined || to === undefined) return { key, from: null, to: null, error: "Enter a valid date and time." };
  if (from && to && from >= to) return { key, from, to, error: "The end must be later than the start." };
  return { key, from, to, error: null };
}

/** The URL parameters of a range choice. */
export function rangeParams(key: RangeKey, custom: AnalyticsRange = {}): Record<string, string> {
  if (key !== "custom") return { range: key };
  const out: Record<string, string> = { range: "custom" };
  if (custom.from) out.from = custom.from;
  if (custom.to) out.to = custom.to;
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO instant as a <input type="datetime-local"> value in the browser's zone ("" for none). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (the browser's zone) as an ISO instant; null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value); // no offset: local time
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Whether the range spans more than two days (the time axis then shows dates rather than clock times). */
export function isLongSpan(fromMs: number, toMs: number): boolean {
  return toMs - fromMs > 2 * 24 * 3600 * 1000;
}
