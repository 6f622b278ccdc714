import { Suspense, lazy, useRef, useState, type CSSProperties } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { viewerStatusOf } from "../lib/eventStatus";
import { PageLoading } from "../shared/Status";
import { DEFAULT_SITE, themeStyle, useSiteSettings } from "../site/siteSettings";
import { Countdown } from "./Countdown";
import { EventAccess } from "./EventAccess";
import { useEmbedSizeReporter } from "./embedSize";
import { pageDescription, usePageMeta } from "./pageMeta";
import { EventUnavailable } from "./EventUnavailable";
import { StatusLabel } from "./StatusLabel";
import { useEventDetails } from "./useEventDetails";

// The chat shows in an embed only when the room's settings say so (embedChat); it loads once the viewer is in.
const ChatPanel = lazy(() => import("./chat/ChatPanel"));

/** /embed/:eventId — the same flow without page chrome, filling its iframe and asking it for the room it needs. */
export default function EmbedPage() {
  const { eventId = "" } = useParams();
  // ?preview=1: the editor's preview. Nothing is submitted; see useAdmission.
  const [params] = useSearchParams();
  const preview = params.get("preview") === "1";
  const { event, error, refresh } = useEventDetails(eventId);
  const [hasReplay, setHasReplay] = useState(false);
  const head = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useEmbedSizeReporter(eventId, { head, body, content }, event !== null);
  const settings = useSiteSettings();
  const [chatToken, setChatToken] = useState<string | null>(null);
  const [chatShown, setChatShown] = useState(false);
  const [overlay, setOverlay] = useState<HTMLElement | null>(null);
  const platformName = settings?.platformName ?? DEFAULT_SITE.platformName;
  usePageMeta(event && settings ? `${event.title} · ${platformName}` : null, event ? pageDescription(event, platformName) : null);

  if (error && !event) return <div className="embed-page"><EventUnavailable error={error} /></div>;
  if (!event) return <div className="embed-page"><PageLoading /></div>;
  const status = viewerStatusOf(event, hasReplay);
  // the event's own colour (its embed settings) over the site's
  const accent = event.embedSettings?.primaryColor || settings?.primaryColor || DEFAULT_SITE.primaryColor;

  return (
    <div
      className={`embed-page${chatShown ? " embed-with-chat" : ""}`}
      data-testid="embed"
      style={{
        ...(event.thumbnailUrl ? { backgroundImage: `url("${event.thumbnailUrl}")` } : {}),
        ...themeStyle(accent),
      } as CSSProperties}
    >
      <main className="embed-overlay" ref={setOverlay}>
        <div className="embed-head" ref={head}>
          <StatusLabel status={status} />
          <span className="embed-title" title={event.title}>{event.title}</span>
          {status === "upcoming" && event.scheduledStart ? <Countdown target={event.scheduledStart} onDone={refresh} /> : null}
          {preview ? <span className="embed-preview-note" data-testid="embed-preview-note">Preview: nothing is saved</span> : null}
        </div>
        <div className="embed-body" ref={body}>
          <div className="embed-content" ref={content}>
            <EventAccess event={event} embedded preview={preview} onReplayFound={setHasReplay} onEventStale={refresh} onAdmitted={setChatToken} />
          </div>
          {chatToken && !preview && (event.status === "live" || event.status === "scheduled") ? (
            <div className="embed-chat">
              <Suspense fallback={null}>
                <ChatPanel eventId={eventId} token={chatToken} replay={false} embedded overlay={overlay} onShown={setChatShown} />
              </Suspense>
            </div>
          ) : null}
        </div>
      </main>
    </div>
  );
}
