import { Link, useParams } from "react-router-dom";
import { ErrorMessage } from "../../../shared/Status";
import { useAdminEvent } from "../../useAdminEvent";
import { ConsoleChat } from "./ConsoleChat";

/** /admin/events/:eventId/chat: the event's chat with its moderation, for every event (an on-demand video's
 * viewers chat too, and it has no live control room). */
export default function ChatPage() {
  const { eventId = "" } = useParams();
  const { event, error } = useAdminEvent(eventId, "Chat");
  return (
    <section className="page" data-testid="chat-page">
      <header className="page-header">
        <div>
          <Link to={`/admin/events/${eventId}`} className="back-link">← {event?.title ?? "Event"}</Link>
          <h1>Chat</h1>
        </div>
      </header>
      <ErrorMessage testId="chat-page-error">{error}</ErrorMessage>
      {event && event.status !== "draft" && event.status !== "cancelled" ? <ConsoleChat eventId={eventId} /> : null}
      {event && (event.status === "draft" || event.status === "cancelled") ? (
        <p className="muted" data-testid="chat-page-closed">The chat opens once the event is scheduled.</p>
      ) : null}
    </section>
  );
}
