// The chat replay's windows: which stretches of the replay to ask for around the position, and which of the
// fetched messages the position has passed (tested in replay.test.ts).
import type { ChatMessage } from "./protocol";

/** Seconds of replay one request covers. */
export const REPLAY_WINDOW_SECONDS = 60;
/** The list shows the messages of this many seconds before the position (the window before it, and its own). */
export const REPLAY_LOOKBACK_SECONDS = REPLAY_WINDOW_SECONDS;

export interface ReplayMessage extends ChatMessage {
  offsetSeconds: number;
}

/** The start of the window holding `position`. */
export function windowStart(position: number, size = REPLAY_WINDOW_SECONDS): number {
  return Math.max(0, Math.floor(Math.max(0, position) / size) * size);
}

/**
 * The windows (their starts) the chat needs at `position`: the one before (what the list shows of the recent
 * past), its own, and the next (asked ahead, so a message is there when the position reaches it); minus those
 * already fetched or asked for. `duration` (when known) stops it asking past the end.
 */
export function windowsToFetch(position: number, have: ReadonlySet<number>, duration: number | null = null, size = REPLAY_WINDOW_SECONDS): number[] {
  const own = windowStart(position, size);
  const wanted = [own - size, own, own + size].filter((start) => start >= 0 && (duration === null || !Number.isFinite(duration) || start < duration));
  return wanted.filter((start) => !have.has(start));
}

/** Whether the position jumped (a seek) rather than played on: the windows asked for before no longer apply. */
export function isJump(previous: number, position: number, size = REPLAY_WINDOW_SECONDS): boolean {
  return Math.abs(position - previous) > size / 2;
}

/** The messages the position has passed, within the lookback, in replay order. */
export function shownAt(messages: readonly ReplayMessage[], position: number, lookback = REPLAY_LOOKBACK_SECONDS): ReplayMessage[] {
  const from = windowStart(position) - lookback;
  return messages.filter((m) => m.offsetSeconds <= position && m.offsetSeconds >= from).sort((a, b) => a.offsetSeconds - b.offsetSeconds || a.messageId.length - b.messageId.length || (a.messageId < b.messageId ? -1 : 1));
}

/** Adds a window's messages to those kept (by id). */
export function addWindow(kept: readonly ReplayMessage[], incoming: readonly ReplayMessage[]): ReplayMessage[] {
  const byId = new Map(kept.map((m) => [m.messageId, m]));
  for (const message of incoming) byId.set(message.messageId, message);
  return [...byId.values()];
}

/** The messages of a replay answer: `{items: [...]}` or `{messages: [...]}` or a bare list. */
export function replayItems(answer: unknown): ReplayMessage[] {
  const list = Array.isArray(answer)
    ? answer
    : answer && typeof answer === "object"
      ? ((answer as { items?: unknown; messages?: unknown }).items ?? (answer as { messages?: unknown }).messages)
      : null;
  if (!Array.isArray(list)) return [];
  return list.filter((m): m is ReplayMessage => Boolean(m) && typeof (m as ReplayMessage).offsetSeconds === "number" && typeof (m as ReplayMessage).messageId === "string");
}
