import type { PublicEvent } from "../api/types";
import type { ViewerStatus } from "../lib/eventStatus";
import { Countdown } from "./Countdown";
import { EventSchedule } from "./EventSchedule";
import { StatusLabel } from "./StatusLabel";

/** Title, status, schedule and countdown of an event. */
export function EventHeader({ event, status, onStartReached }: { event: PublicEvent; status: ViewerStatus; onStartReached: () => void }) {
  return (
    <header className="event-header">
      <StatusLabel status={status} />
      {event.contentRating ? <span className="badge event-rating" title="Age rating" data-testid="event-rating">Rated {event.contentRating}</span> : null}
      <h1 data-testid="event-title">{event.title}</h1>
      <EventSchedule event={event} />
      {status === "upcoming" && event.scheduledStart ? <Countdown target={event.scheduledStart} onDone={onStartReached} /> : null}
    </header>
  );
}
