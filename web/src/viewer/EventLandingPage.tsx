import { Suspense, lazy, useState } from "react";
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

// The chat (its socket, its styles) loads only once the viewer is admitted.
const ChatPanel = lazy(() => import("./chat/ChatPanel"));

/** /e/:eventId — the event's public page. */
export default function EventLandingPage() {
  const { eventId = "" } = useParams();
  const { event, error, refresh } = useEventDetails(eventId);
  const [hasReplay, setHasReplay] = useState(false);
  const settings = useSiteSettings();
  const [chatToken, setChatToken] = useState<string | null>(null);
  const [stage, setStage] = useState<HTMLElement | null>(null);
  // the panel may find there is nothing to show (no chat to replay beside an uploaded video)
  const [chatShown, setChatShown] = useState(true);

  usePageMeta(event && settings ? `${event.title} · ${settings.platformName}` : null, event ? pageDescription(event, settings?.platformName) : null);

  if (error && !event) return <EventUnavailable error={error} />;
  if (!event) return <PageLoading />;
  const status = viewerStatusOf(event, hasReplay);
  const chatOpen = chatToken !== null && event.status !== "cancelled" && event.status !== "draft";
  const withChat = chatOpen && chatShown;

  return (
    // the event's own colour (its embed settings) over the site's
    <div className="viewer-page" style={themeStyle(event.embedSettings?.primaryColor || settings?.primaryColor || DEFAULT_SITE.primaryColor)}>
      <header className="viewer-topbar">
        <SiteBrand settings={settings} />
        <AccountLink back={`/e/${eventId}`} />
      </header>
      <main className={`viewer-main${withChat ? " with-chat" : ""}`}>
        <EventHeader event={event} status={status} onStartReached={refresh} />
        <div className={`watch-area${withChat ? " with-chat" : ""}`}>
          <section className="viewer-stage" ref={setStage} aria-label="Watch" style={event.thumbnailUrl ? { backgroundImage: `url("${event.thumbnailUrl}")` } : undefined}>
            <div className="viewer-stage-inner">
              <EventAccess event={event} embedded={false} onReplayFound={setHasReplay} onEventStale={refresh} onAdmitted={setChatToken} />
            </div>
          </section>
          {chatOpen && chatToken ? (
            <div className="chat-slot" hidden={!chatShown}>
              <Suspense fallback={null}>
                <ChatPanel eventId={eventId} token={chatToken} replay={event.status === "ended" || event.status === "archived"} overlay={stage} onShown={setChatShown} />
              </Suspense>
            </div>
          ) : null}
        </div>
        {event.descriptionHtml ? (
          <section className="event-description prose" data-testid="event-description" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
        ) : null}
      </main>
    </div>
  );
}
