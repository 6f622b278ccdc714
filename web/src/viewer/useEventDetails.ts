import { useCallback, useEffect, useState } from "react";
import { ApiError, viewer } from "../api/client";
import type { PublicEvent } from "../api/types";

const POLL_MS = 20_000;

/**
 * Loads the public event and keeps it fresh while it can still change
 * (upcoming or live), so the page flips to LIVE or Ended without a reload.
 */
export function useEventDetails(eventId: string) {
  const [event, setEvent] = useState<PublicEvent | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const refresh = useCallback(async () => {
    try {
      const next = await viewer.event(eventId);
      // The same object while nothing changed (the public view has no updatedAt to compare).
      setEvent((current) => (current && JSON.stringify(current) === JSON.stringify(next) ? current : next));
      setError(null);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    }
  }, [eventId]);

  useEffect(() => {
    setEvent(null);
    void refresh();
  }, [refresh]);

  const changing = event && ["draft", "scheduled", "live"].includes(event.status);
  useEffect(() => {
    if (!changing) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [changing, refresh]);

  return { event, error, refresh };
}
