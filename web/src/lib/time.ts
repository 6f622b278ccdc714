// Time formatting and time-zone conversion, done with Intl only (no date library).

/** "1:05" / "1:02:03" for a media position in seconds. */
export function formatMediaTime(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) totalSeconds = 0;
  const s = Math.floor(totalSeconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

/** "2d 03h 04m 05s" style countdown parts until `target`. */
export function countdownParts(targetMs: number, nowMs: number): { days: number; hours: number; minutes: number; seconds: number; done: boolean } {
  const diff = Math.max(0, Math.floor((targetMs - nowMs) / 1000));
  return {
    days: Math.floor(diff / 86400),
    hours: Math.floor((diff % 86400) / 3600),
    minutes: Math.floor((diff % 3600) / 60),
    seconds: diff % 60,
    done: diff === 0,
  };
}

export function formatCountdown(targetMs: number, nowMs: number): string {
  const { days, hours, minutes, seconds } = countdownParts(targetMs, nowMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  const clock = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** A date and time in the browser's (or a given) time zone, e.g. "Tue, May 6, 2025, 6:00 PM CEST". */
export function formatDateTime(iso: string | null | undefined, timeZone?: string, locale?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  }).format(date);
}

export function formatShortDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** "Nov 23, 2026": a day, without the time. */
export function formatShortDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(date);
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

const FALLBACK_ZONES = [
  "UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo", "Asia/Singapore",
  "Australia/Sydney", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
  "America/Toronto", "America/Sao_Paulo",
];

export function listTimeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : FALLBACK_ZONES;
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

/** Offset (ms) of `timeZone` from UTC at the instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Interpret a `datetime-local` value ("2025-05-06T18:00") as wall-clock time in
 * `timeZone` and return the ISO 8601 UTC instant, or null when empty/invalid.
 */
export function zonedLocalToUtcIso(local: string, timeZone: string): string | null {
  const m = LOCAL_RE.exec(local.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  // Two passes settle the offset across daylight-saving changes.
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone);
  return new Date(utc).toISOString().replace(".000Z", "Z");
}

/** The `datetime-local` value ("2025-05-06T18:00") showing the instant `iso` in `timeZone`. */
export function utcIsoToZonedLocal(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const utc = new Date(iso).getTime();
  if (Number.isNaN(utc)) return "";
  const wall = new Date(utc + zoneOffsetMs(utc, timeZone));
  return wall.toISOString().slice(0, 16);
}

const SCHEDULE_FORMAT: Intl.DateTimeFormatOptions = {
  weekday: "short",
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
};

/** "Tue, May 6, 2025, 6:00 – 7:00 PM CEST": a start (and end) in one zone, the zone said once. */
export function formatScheduleRange(startIso: string, endIso: string | null | undefined, timeZone: string, locale?: string): string {
  const start = new Date(startIso);
  const end = endIso ? new Date(endIso) : null;
  const format = new Intl.DateTimeFormat(locale, { ...SCHEDULE_FORMAT, timeZone });
  if (!end || Number.isNaN(end.getTime()) || end <= start) return format.format(start);
  return format.formatRange(start, end);
}

export interface ScheduleText {
  /** In the viewer's own zone. */
  local: string;
  /** Names the event's zone: the times there when the viewer's zone differs, else that it is the same. */
  eventZone: string;
}

/** An event's schedule for a viewer: in their zone, with the zone the event is scheduled in named. */
export function describeSchedule(
  startIso: string,
  endIso: string | null | undefined,
  eventTimeZone: string,
  viewerTimeZone: string = browserTimeZone(),
  locale?: string,
): ScheduleText {
  const local = formatScheduleRange(startIso, endIso, viewerTimeZone, locale);
  const start = new Date(startIso).getTime();
  const sameClock = zoneOffsetMs(start, eventTimeZone) === zoneOffsetMs(start, viewerTimeZone);
  const eventZone = sameClock
    ? `Your time; the event is scheduled in ${eventTimeZone} time`
    : `Your time. In ${eventTimeZone}, where the event is scheduled: ${formatScheduleRange(startIso, endIso, eventTimeZone, locale)}`;
  return { local, eventZone };
}
