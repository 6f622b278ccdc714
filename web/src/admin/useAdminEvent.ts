import { useEffect, useState } from "react";
import { ApiError, events } from "../api/client";
import type { AdminEvent } from "../api/types";

/** The event an admin sub-page belongs to (registrations, analytics), with the browser title set to match. */
export function useAdminEvent(eventId: string, pageName: string) {
  const [event, setEvent] = useState<AdminEvent | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    events
      .get(eventId, controller.signal)
      .then((loaded) => {
        setEvent(loaded);
        document.title = `${pageName} · ${loaded.title} · GoLive`;
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError) setError(err.status === 404 ? "This event does not exist or was deleted." : err.message);
      });
    return () => controller.abort();
  }, [eventId, pageName]);

  return { event, error };
}
