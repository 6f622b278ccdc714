import { site } from "../api/client";
import { useApi } from "../api/useApi";
import { ErrorMessage, PageLoading } from "../shared/Status";
import { AccountLink } from "../viewer/AccountLink";
import { usePageMeta } from "../viewer/pageMeta";
import { HomeView } from "./HomeView";
import { SiteBrand } from "./SiteBrand";
import { SiteFooter } from "./SiteFooter";
import { themeStyle, useSiteSettings } from "./siteSettings";

/** `/`: the organisation's own front page: its hero, then what is live, featured, coming and on demand. */
export default function HomePage() {
  const settings = useSiteSettings();
  const home = useApi((signal) => site.home(signal), []);
  usePageMeta(settings ? settings.heroTitle || settings.platformName : null, settings?.heroSubtitle ?? null);
  if (!settings) return <PageLoading />;
  return (
    <div className="site-page" style={themeStyle(settings.primaryColor)}>
      <header className="viewer-topbar">
        <SiteBrand settings={settings} />
        <AccountLink back="/" />
      </header>
      <main className="home-main">
        <ErrorMessage>{home.error}</ErrorMessage>
        <HomeView settings={settings} home={home.data} />
      </main>
      <SiteFooter settings={settings} />
    </div>
  );
}
