import type { PublicEvent } from "../api/types";
import { formatDateTime } from "../lib/time";

/** Start (and end) in the viewer's own time zone. */
export function EventSchedule({ event }: { event: PublicEvent }) {
  if (!event.scheduledStart) return null;
  return (
    <p className="event-schedule" data-testid="event-schedule">
      <time dateTime={event.scheduledStart}>{formatDateTime(event.scheduledStart)}</time>
      {event.scheduledEnd ? (
        <>
          {" – "}
          <time dateTime={event.scheduledEnd}>{formatDateTime(event.scheduledEnd)}</time>
        </>
      ) : null}
    </p>
  );
}
