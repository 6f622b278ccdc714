import { useState } from "react";
import { useParams } from "react-router-dom";
import { viewerStatusOf } from "../lib/eventStatus";
import { PageLoading } from "../shared/Status";
import { SiteBrand } from "../site/SiteBrand";
import { DEFAULT_SITE, themeStyle, useSiteSettings } from "../site/siteSettings";
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
  const settings = useSiteSettings();

  usePageMeta(event && settings ? `${event.title} · ${settings.platformName}` : null, event ? pageDescription(event, settings?.platformName) : null);

  if (error && !event) return <EventUnavailable error={error} />;
  if (!event) return <PageLoading />;
  const status = viewerStatusOf(event, hasReplay);

  return (
    // the event's own colour (its embed settings) over the site's
    <div className="viewer-page" style={themeStyle(event.embedSettings?.primaryColor || settings?.primaryColor || DEFAULT_SITE.primaryColor)}>
      <header className="viewer-topbar">
        <SiteBrand settings={settings} />
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
