// The Site settings form as text fields, and what it sends and previews.
import { SOCIAL_NETWORKS, type AdminEvent, type AdminSiteSettings, type HomeEvent, type SiteSettings, type SiteSettingsUpdate, type SocialNetwork } from "../../api/types";

export interface SiteDraft {
  platformName: string;
  primaryColor: string;
  heroTitle: string;
  heroSubtitle: string;
  heroCtaText: string;
  heroCtaLink: string;
  featuredEventIds: string[];
  contactEmail: string;
  socialLinks: Record<SocialNetwork, string>;
  aboutContent: string;
  emailFromName: string;
  timezone: string;
}

export function settingsToDraft(settings: AdminSiteSettings): SiteDraft {
  const links = settings.socialLinks as Partial<Record<SocialNetwork, string>>;
  return {
    platformName: settings.platformName,
    primaryColor: settings.primaryColor,
    heroTitle: settings.heroTitle ?? "",
    heroSubtitle: settings.heroSubtitle ?? "",
    heroCtaText: settings.heroCtaText ?? "",
    heroCtaLink: settings.heroCtaLink ?? "",
    featuredEventIds: [...settings.featuredEventIds],
    contactEmail: settings.contactEmail ?? "",
    socialLinks: Object.fromEntries(SOCIAL_NETWORKS.map((network) => [network, links[network] ?? ""])) as Record<SocialNetwork, string>,
    aboutContent: settings.aboutContent,
    emailFromName: settings.emailFromName ?? "",
    timezone: settings.timezone,
  };
}

const orNull = (text: string): string | null => text.trim() || null;

/** PUT /api/settings: every field of the form (empty optional ones cleared). */
export function draftToUpdate(draft: SiteDraft): SiteSettingsUpdate {
  const socialLinks = Object.fromEntries(
    Object.entries(draft.socialLinks).map(([network, url]) => [network, url.trim()]).filter(([, url]) => url),
  );
  return {
    platformName: draft.platformName.trim(),
    primaryColor: draft.primaryColor,
    heroTitle: orNull(draft.heroTitle),
    heroSubtitle: orNull(draft.heroSubtitle),
    heroCtaText: orNull(draft.heroCtaText),
    heroCtaLink: orNull(draft.heroCtaLink),
    featuredEventIds: draft.featuredEventIds,
    contactEmail: orNull(draft.contactEmail),
    socialLinks,
    aboutContent: draft.aboutContent,
    emailFromName: orNull(draft.emailFromName),
    timezone: draft.timezone,
  };
}

/** The public settings as the draft would make them (the preview's; pictures are saved as soon as chosen). */
export function previewSettings(saved: AdminSiteSettings, draft: SiteDraft): SiteSettings {
  const update = draftToUpdate(draft);
  const readableColor = /^#[0-9a-fA-F]{6}$/.test(draft.primaryColor) ? draft.primaryColor : saved.primaryColor;
  return {
    ...saved,
    platformName: update.platformName || saved.platformName,
    primaryColor: readableColor,
    heroTitle: update.heroTitle ?? null,
    heroSubtitle: update.heroSubtitle ?? null,
    heroCtaText: update.heroCtaText ?? null,
    heroCtaLink: update.heroCtaLink ?? null,
    featuredEventIds: draft.featuredEventIds,
    contactEmail: update.contactEmail ?? null,
    socialLinks: (update.socialLinks ?? {}) as Record<string, string>,
  };
}

/** An event of the console's list as a home page card. */
export function cardOf(event: AdminEvent): HomeEvent {
  return {
    eventId: event.eventId,
    title: event.title,
    status: event.status,
    eventType: event.eventType,
    scheduledStart: event.scheduledStart,
    scheduledEnd: event.scheduledEnd,
    thumbnailUrl: event.thumbnailUrl,
    accessType: event.accessType,
    isPaidEvent: event.isPaidEvent,
    priceAmount: event.priceAmount,
    currency: event.currency,
    contentRating: event.contentRating,
  };
}

/** Which events may be featured: what the home page can show (scheduled, live, ended). */
export const FEATURABLE = new Set<AdminEvent["status"]>(["scheduled", "live", "ended"]);
export const MAX_FEATURED = 12;
