import { useState, type CSSProperties } from "react";
import { useParams } from "react-router-dom";
import { viewerStatusOf } from "../lib/eventStatus";
import { PageLoading } from "../shared/Status";
import { AccountLink } from "./AccountLink";
import { EventAccess } from "./EventAccess";
import { EventHeader } from "./EventHeader";
import { EventUnavailable } from "./EventUnavailable";
import { pageDescription, usePageMeta } from "./pageMeta";
import { useEventDetails } from "./useEventDetails";

/** /e/:eventId — the event's public page. */
export default function EventLandingPage() {
  const { eventId = "" } = useParams();
  const { event, error, refresh } = useEventDetails(eventId);
  const [hasReplay, setHasReplay] = useState(false);

  usePageMeta(event ? `${event.title} · GoLive` : null, event ? pageDescription(event) : null);

  if (error && !event) return <EventUnavailable error={error} />;
  if (!event) return <PageLoading />;
  const status = viewerStatusOf(event, hasReplay);

  return (
    <div className="viewer-page" style={event.embedSettings?.primaryColor ? ({ "--accent": event.embedSettings.primaryColor } as CSSProperties) : undefined}>
      <header className="viewer-topbar">
        <span className="brand brand-dark"><span className="brand-mark" aria-hidden="true">▶</span> GoLive</span>
        <AccountLink back={`/e/${eventId}`} />
      </header>
      <main className="viewer-main">
        <EventHeader event={event} status={status} onStartReached={refresh} />
        <section className="viewer-stage" aria-label="Watch" style={event.thumbnailUrl ? { backgroundImage: `url("${event.thumbnailUrl}")` } : undefined}>
          <div className="viewer-stage-inner">
            <EventAccess event={event} embedded={false} onReplayFound={setHasReplay} onEventStale={refresh} />
          </div>
        </section>
        {event.descriptionHtml ? (
          <section className="event-description prose" data-testid="event-description" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
        ) : null}
      </main>
    </div>
  );
}
