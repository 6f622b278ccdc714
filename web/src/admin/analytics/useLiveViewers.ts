import { useEffect, useState } from "react";
import { subscribeLiveViewers } from "../../viewer/telemetry/telemetry";

/** The event's concurrent viewers as pushed over GET /api/events/{eventId}/live-stats; null until the first message. */
export function useLiveViewers(eventId: string): number | null {
  const [viewers, setViewers] = useState<number | null>(null);
  useEffect(() => {
    setViewers(null);
    if (!eventId || typeof EventSource === "undefined") return;
    return subscribeLiveViewers(eventId, setViewers);
  }, [eventId]);
  return viewers;
}
