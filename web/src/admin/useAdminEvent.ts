import { useEffect } from "react";
import { events } from "../api/client";
import { useApi } from "../api/useApi";

const describe = { describe: (err: { status: number; message: string }) => (err.status === 404 ? "This event does not exist or was deleted." : err.message) };

/** The event an admin sub-page belongs to (registrations, analytics), with the browser title set to match. */
export function useAdminEvent(eventId: string, pageName: string) {
  const { data: event, error } = useApi((signal) => events.get(eventId, signal), [eventId], describe);

  useEffect(() => {
    if (event) document.title = `${pageName} · ${event.title} · GoLive`;
  }, [event, pageName]);

  return { event, error };
}
