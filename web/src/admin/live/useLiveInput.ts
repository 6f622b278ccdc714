import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, live } from "../../api/client";
import type { LiveInput } from "../../api/types";
import { POLL_MS, pushSample, type BitrateSample } from "./liveView";

export interface LiveInputState {
  input: LiveInput | null;
  /** The last poll's error; the previous figures stay on screen meanwhile. */
  error: string | null;
  /** The bitrate of the last two minutes, one sample per poll. */
  history: BitrateSample[];
  /** Replaces the shown input at once (after a key rotation). */
  replace: (input: LiveInput) => void;
}

/**
 * The event's live input, polled every 2 s while the tab is visible (nothing for an empty eventId). One request at a time: a slow answer
 * delays the next poll rather than stacking requests.
 */
export function useLiveInput(eventId: string): LiveInputState {
  const [input, setInput] = useState<LiveInput | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<BitrateSample[]>([]);
  const version = useRef(0);

  const replace = useCallback((next: LiveInput) => {
    version.current += 1; // a poll already in flight must not overwrite the newer key
    setInput(next);
  }, []);

  useEffect(() => {
    let timer: number | undefined;
    let stopped = false;
    let inFlight = false;
    const controller = new AbortController();
    setInput(null);
    setHistory([]);
    setError(null);
    if (!eventId) return;

    async function poll() {
      if (stopped || inFlight) return;
      if (document.visibilityState === "hidden") {
        timer = window.setTimeout(poll, POLL_MS);
        return;
      }
      const started = version.current;
      inFlight = true;
      try {
        const next = await live.input(eventId, controller.signal);
        if (stopped) return;
        if (version.current === started) setInput(next);
        setError(null);
        const kbps = next.health.connected ? (next.health.bitrateKbps ?? 0) : 0;
        setHistory((h) => pushSample(h, { t: Date.now(), kbps }));
      } catch (err) {
        if (stopped) return;
        if (err instanceof ApiError) setError(err.status === 404 ? "This event has no live input." : err.message);
      } finally {
        inFlight = false;
      }
      timer = window.setTimeout(poll, POLL_MS);
    }

    void poll();
    const onVisible = () => {
      if (document.visibilityState !== "visible") return;
      window.clearTimeout(timer);
      void poll();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      controller.abort();
      window.clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [eventId]);

  return { input, error, history, replace };
}
