// The words the composer shows for an `error` frame (tested in errors.test.ts).
import type { ShownError } from "./chatState";

/** Seconds left before the viewer may send again (0 when the wait is over, or there is none). */
export function secondsToWait(error: ShownError | null, now: number): number {
  const retryAfter = error?.frame.details?.retryAfter;
  if (!error || typeof retryAfter !== "number") return 0;
  return Math.max(0, Math.ceil((error.at + retryAfter * 1000 - now) / 1000));
}

/** A time of today as "7:05 PM", another day's with its date. */
export function clock(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const sameDay = new Date().toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit" })
    : date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** The plain words for a refusal; null once a countdown has run out (nothing left to say). */
export function errorWords(error: ShownError | null, now: number, locale?: string): string | null {
  if (!error) return null;
  const { code, message, details } = error.frame;
  switch (code) {
    case "rate_limited": {
      const wait = secondsToWait(error, now);
      const what = error.cause === "reaction" ? "reactions" : error.cause === "ask" ? "questions" : "messages";
      return wait > 0 ? `You are sending ${what} too fast. You can send again in ${wait} s.` : null;
    }
    case "slow_mode": {
      const wait = secondsToWait(error, now);
      return wait > 0 ? `${message}. You can send again in ${wait} s.` : null;
    }
    case "timed_out": {
      const until = details?.until;
      if (until && Date.parse(until) <= now) return null;
      return until ? `A moderator paused your messages until ${clock(until, locale)}. You can read the chat meanwhile.` : message;
    }
    case "banned":
      return "A moderator removed you from this chat. You can keep watching.";
    case "message_too_long":
    case "message_empty":
    case "emote_only":
    case "links_not_allowed":
    default:
      return message.endsWith(".") ? message : `${message}.`;
  }
}
