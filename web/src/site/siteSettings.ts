// The site's settings, read once per page load and shared by every component that shows the brand.
import { useEffect, useState, type CSSProperties } from "react";
import { site } from "../api/client";
import type { SiteSettings } from "../api/types";

/** What a page shows before the settings arrive, or when they cannot be read: the platform's own look. */
export const DEFAULT_SITE: SiteSettings = {
  platformName: "GoLive",
  logoUrl: null,
  primaryColor: "#4f46e5",
  heroTitle: null,
  heroSubtitle: null,
  heroBackgroundUrl: null,
  heroCtaText: null,
  heroCtaLink: null,
  featuredEventIds: [],
  contactEmail: null,
  socialLinks: {},
  aboutHtml: "",
  timezone: "UTC",
};

let pending: Promise<SiteSettings> | null = null;

export function loadSiteSettings(): Promise<SiteSettings> {
  pending ??= site.settings().catch(() => {
    pending = null; // a later page tries again
    return DEFAULT_SITE;
  });
  return pending;
}

/** The settings, or null while they load (a brand that would flash from ours to theirs waits instead). */
export function useSiteSettings(): SiteSettings | null {
  const [settings, setSettings] = useState<SiteSettings | null>(null);
  useEffect(() => {
    let live = true;
    void loadSiteSettings().then((loaded) => live && setSettings(loaded));
    return () => {
      live = false;
    };
  }, []);
  return settings;
}

/** The CSS variables that put the site's colour on buttons, links and focus rings under an element. */
export function themeStyle(primaryColor: string): CSSProperties {
  return {
    "--accent": primaryColor,
    "--accent-hover": `color-mix(in srgb, ${primaryColor} 82%, black)`,
  } as CSSProperties;
}
