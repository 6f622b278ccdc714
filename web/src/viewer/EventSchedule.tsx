import type { PublicEvent } from "../api/types";
import { describeSchedule } from "../lib/time";

/** Start (and end) in the viewer's own time zone, naming the zone the event is scheduled in. */
export function EventSchedule({ event }: { event: PublicEvent }) {
  if (!event.scheduledStart) return null;
  const schedule = describeSchedule(event.scheduledStart, event.scheduledEnd, event.timezone || "UTC");
  return (
    <p className="event-schedule" data-testid="event-schedule">
      <time dateTime={event.scheduledStart}>{schedule.local}</time>
      <span className="event-schedule-zone" data-testid="event-schedule-zone">
        {schedule.eventZone}
      </span>
    </p>
  );
}
