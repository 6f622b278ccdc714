import { site } from "../api/client";
import { useApi } from "../api/useApi";
import { ErrorMessage, PageLoading } from "../shared/Status";
import { usePageMeta } from "../viewer/pageMeta";
import { HomeView } from "./HomeView";
import { SiteFrame } from "./SiteFrame";
import { useSiteSettings } from "./siteSettings";

/** `/`: the organisation's own front page: its hero, then what is live, featured, coming and on demand. */
export default function HomePage() {
  const settings = useSiteSettings();
  const home = useApi((signal) => site.home(signal), []);
  usePageMeta(settings ? settings.heroTitle || settings.platformName : null, settings?.heroSubtitle ?? null);
  if (!settings) return <PageLoading />;
  return (
    <SiteFrame settings={settings} back="/">
      <ErrorMessage>{home.error}</ErrorMessage>
      <HomeView settings={settings} home={home.data} />
    </SiteFrame>
  );
}
