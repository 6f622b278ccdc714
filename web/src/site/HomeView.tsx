import type { CSSProperties } from "react";
import { EventThumbnail } from "../admin/events/EventThumbnail";
import type { HomeEvent, HomeSections, SiteSettings } from "../api/types";
import { formatPrice } from "../lib/money";
import { formatShortDateTime } from "../lib/time";

interface Section {
  key: keyof HomeSections;
  title: string;
}

const SECTIONS: Section[] = [
  { key: "live", title: "Live now" },
  { key: "featured", title: "Featured" },
  { key: "upcoming", title: "Upcoming" },
  { key: "replays", title: "Replays and videos" },
];

/** A picture worth showing for an event that has played: its own thumbnail, else its video's poster. */
function posterOf(event: HomeEvent): string | null {
  return event.eventType === "vod" || event.status === "ended" ? `/api/events/${encodeURIComponent(event.eventId)}/poster` : null;
}

function badgeOf(event: HomeEvent): { label: string; tone: string } | null {
  if (event.status === "live" && event.eventType === "live") return { label: "Live", tone: "live" };
  if (event.status === "scheduled") return { label: event.scheduledStart ? formatShortDateTime(event.scheduledStart) : "Soon", tone: "scheduled" };
  if (event.status === "ended" && event.eventType === "live") return { label: "Replay", tone: "ended" };
  return null;
}

function EventCard({ event, linked }: { event: HomeEvent; linked: boolean }) {
  const badge = badgeOf(event);
  const price = event.isPaidEvent && event.priceAmount ? formatPrice(event.priceAmount, event.currency) : null;
  const body = (
    <>
      <EventThumbnail title={event.title} url={event.thumbnailUrl} seed={event.eventId} posterUrl={posterOf(event)} />
      <span className="home-card-body">
        <span className="home-card-badges">
          {badge ? <span className={`badge badge-${badge.tone}`}>{badge.label}</span> : null}
          {price ? <span className="badge">{price}</span> : null}
          {event.contentRating ? <span className="badge" title="Age rating">{event.contentRating}</span> : null}
        </span>
        <span className="home-card-title">{event.title}</span>
      </span>
    </>
  );
  // the console's preview shows the page without leaving the console
  return linked ? (
    <a className="home-card" href={`/e/${encodeURIComponent(event.eventId)}`} data-testid="home-card">{body}</a>
  ) : (
    <span className="home-card" data-testid="home-card">{body}</span>
  );
}

/**
 * The home page as the settings and sections describe it: the real page renders it, and so does the console's
 * live preview (with the settings being edited, `linked` off).
 */
export function HomeView({ settings, home, linked = true }: { settings: SiteSettings; home: HomeSections | null; linked?: boolean }) {
  const heroStyle: CSSProperties | undefined = settings.heroBackgroundUrl
    ? { backgroundImage: `linear-gradient(rgb(15 23 42 / 55%), rgb(15 23 42 / 70%)), url("${settings.heroBackgroundUrl}")` }
    : undefined;
  const shown = SECTIONS.filter((section) => (home?.[section.key].length ?? 0) > 0);
  return (
    <>
      <section className={`home-hero${settings.heroBackgroundUrl ? " home-hero-image" : ""}`} style={heroStyle} data-testid="home-hero">
        <h1 data-testid="home-hero-title">{settings.heroTitle || settings.platformName}</h1>
        {settings.heroSubtitle ? <p>{settings.heroSubtitle}</p> : null}
        {settings.heroCtaText && settings.heroCtaLink ? (
          linked ? (
            <a className="btn btn-primary btn-large" href={settings.heroCtaLink} data-testid="home-cta">{settings.heroCtaText}</a>
          ) : (
            <span className="btn btn-primary btn-large" data-testid="home-cta">{settings.heroCtaText}</span>
          )
        ) : null}
      </section>
      {home && shown.length === 0 ? <p className="home-empty" data-testid="home-empty">Nothing is on right now. Come back soon.</p> : null}
      {shown.map((section) => (
        <section key={section.key} className="home-section" aria-labelledby={`home-${section.key}`} data-testid={`home-${section.key}`}>
          <h2 id={`home-${section.key}`}>{section.title}</h2>
          <ul className="home-grid">
            {home![section.key].map((event) => (
              <li key={event.eventId}>
                <EventCard event={event} linked={linked} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
