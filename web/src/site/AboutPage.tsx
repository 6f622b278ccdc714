import { NotFoundPage, PageLoading } from "../shared/Status";
import { AccountLink } from "../viewer/AccountLink";
import { usePageMeta } from "../viewer/pageMeta";
import { SiteBrand } from "./SiteBrand";
import { SiteFooter } from "./SiteFooter";
import { themeStyle, useSiteSettings } from "./siteSettings";

/** `/about`: the organisation's About page (Markdown the server rendered and sanitized). */
export default function AboutPage() {
  const settings = useSiteSettings();
  usePageMeta(settings ? `About · ${settings.platformName}` : null, null);
  if (!settings) return <PageLoading />;
  if (!settings.aboutHtml) return <NotFoundPage />;
  return (
    <div className="site-page" style={themeStyle(settings.primaryColor)}>
      <header className="viewer-topbar">
        <SiteBrand settings={settings} />
        <AccountLink back="/about" />
      </header>
      <main className="home-main">
        <h1>About {settings.platformName}</h1>
        <article className="prose" data-testid="about" dangerouslySetInnerHTML={{ __html: settings.aboutHtml }} />
      </main>
      <SiteFooter settings={settings} />
    </div>
  );
}
