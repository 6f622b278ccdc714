// How long a dropped chat socket waits before it tries again (tested in backoff.test.ts).

export const FIRST_RETRY_MS = 1000;
export const MAX_RETRY_MS = 30_000;

/**
 * The wait before reconnect attempt `attempt` (0 for the first): doubling from a second up to 30 s, with
 * "equal jitter" (half fixed, half random) so a room's viewers, dropped together, do not return together.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Close codes after which reconnecting cannot help: the room refused this person (see docs/chat.md). */
export function isFinalClose(code: number): boolean {
  return code === 4401 || code === 4403 || code === 4404;
}
