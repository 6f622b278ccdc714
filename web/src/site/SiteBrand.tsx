import type { SiteSettings } from "../api/types";

/** The site's logo (or its name beside our mark), leading home. */
export function SiteBrand({ settings }: { settings: SiteSettings | null }) {
  if (!settings) return <span className="brand brand-dark site-brand" aria-hidden="true" />;
  return (
    <a className="brand brand-dark site-brand" href="/" data-testid="site-brand">
      {settings.logoUrl ? (
        <img className="site-logo" src={settings.logoUrl} alt={settings.platformName} />
      ) : (
        <>
          <span className="brand-mark" aria-hidden="true">▶</span> {settings.platformName}
        </>
      )}
    </a>
  );
}
