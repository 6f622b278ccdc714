import type { SiteSettings, SocialNetwork } from "../api/types";

export const NETWORK_NAMES: Record<SocialNetwork, string> = {
  website: "Website",
  instagram: "Instagram",
  facebook: "Facebook",
  x: "X",
  youtube: "YouTube",
  tiktok: "TikTok",
  linkedin: "LinkedIn",
  twitch: "Twitch",
  mastodon: "Mastodon",
};

/** Contact, social links and the About page, under every page of the site. */
export function SiteFooter({ settings }: { settings: SiteSettings }) {
  const links = Object.entries(settings.socialLinks) as [SocialNetwork, string][];
  return (
    <footer className="site-footer" data-testid="site-footer">
      <span>© {new Date().getFullYear()} {settings.platformName}</span>
      <nav aria-label="About this site">
        {settings.aboutHtml ? <a href="/about">About</a> : null}
        {settings.contactEmail ? <a href={`mailto:${settings.contactEmail}`}>Contact</a> : null}
        {links.map(([network, url]) => (
          <a key={network} href={url} rel="noopener noreferrer" target="_blank">
            {NETWORK_NAMES[network] ?? network}
          </a>
        ))}
      </nav>
    </footer>
  );
}
