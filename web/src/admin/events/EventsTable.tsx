import { Link } from "react-router-dom";
import { media } from "../../api/client";
import type { AdminEvent } from "../../api/types";
import { formatPrice } from "../../lib/money";
import { formatShortDateTime } from "../../lib/time";
import { EventThumbnail } from "./EventThumbnail";
import { StatusBadge } from "./StatusBadge";

const ACCESS_LABELS: Record<AdminEvent["accessType"], string> = {
  anonymous: "Open",
  form: "Form",
  password: "Password",
  email: "Email code",
  account: "Account",
};

/** Videos, and broadcasts that are over (their replay): the only events whose poster is worth asking for. */
function mayHavePoster(event: AdminEvent): boolean {
  return event.eventType === "vod" || event.status === "ended" || event.status === "archived";
}

/** Live events that are yet to happen, on air, or just over (for the replay trim) get a control room link. */
function hasControlRoom(event: AdminEvent): boolean {
  return event.eventType === "live" && event.status !== "cancelled" && event.status !== "archived";
}

export function EventsTable({ items }: { items: AdminEvent[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="events-table">
        <thead>
          <tr>
            <th scope="col"><span className="visually-hidden">Thumbnail</span></th>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Type</th>
            <th scope="col">Access</th>
            <th scope="col">Price</th>
            <th scope="col">Starts</th>
          </tr>
        </thead>
        <tbody>
          {items.map((event) => (
            <tr key={event.eventId} data-testid="event-row" data-event-id={event.eventId}>
              <td className="cell-thumb">
                <EventThumbnail title={event.title} url={event.thumbnailUrl} seed={event.eventId} posterUrl={mayHavePoster(event) ? media.posterPath(event.eventId) : null} />
              </td>
              <td className="cell-title">
                <Link to={`/admin/events/${event.eventId}`} data-testid="event-title-link">{event.title}</Link>
                {hasControlRoom(event) ? (
                  <Link to={`/admin/events/${event.eventId}/live`} className="row-link" data-testid="event-live-link">
                    {event.status === "live" ? "● Live control room" : "Control room"}
                  </Link>
                ) : null}
              </td>
              <td data-label="Status"><StatusBadge status={event.status} eventType={event.eventType} /></td>
              <td data-label="Type">{event.eventType === "vod" ? "On demand" : "Live"}</td>
              <td data-label="Access">{ACCESS_LABELS[event.accessType] ?? event.accessType}</td>
              <td data-label="Price" data-testid="event-price">{event.isPaidEvent ? formatPrice(event.priceAmount, event.currency) : "Free"}</td>
              <td data-label="Starts">
                {event.scheduledStart ? <time dateTime={event.scheduledStart}>{formatShortDateTime(event.scheduledStart)}</time> : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
