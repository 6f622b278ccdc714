import { useEffect, useState } from "react";
import { viewer } from "../../api/client";
import type { LiveStatus } from "../../api/types";

/** How often a live event's player asks whether the encoder is still sending. */
export const BROADCAST_POLL_MS = 3000;
/** After the end only the replay can still change, and it takes a while: ask less often. */
export const ENDED_POLL_MS = 10_000;

/**
 * The live status of a live event (on air, interrupted, ended, replay ready), polled every few seconds while
 * `enabled`, one request at a time; after the end less often, and not at all once the replay is ready.
 * A failed poll keeps the last answer: a network blip is not an interruption.
 */
export function useBroadcastStatus(eventId: string, enabled: boolean): LiveStatus | null {
  const [status, setStatus] = useState<LiveStatus | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: number | undefined;
    const controller = new AbortController();
    async function poll() {
      let done = false;
      let delay = BROADCAST_POLL_MS;
      try {
        const next = await viewer.liveStatus(eventId, controller.signal);
        if (stopped) return;
        setStatus(next);
        done = next.replayReady;
        if (next.broadcast === "ended") delay = ENDED_POLL_MS;
      } catch {
        if (stopped) return;
      }
      if (!done) timer = window.setTimeout(poll, delay);
    }
    void poll();
    return () => {
      stopped = true;
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [eventId, enabled]);

  return status;
}
