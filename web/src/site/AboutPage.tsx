import { NotFoundPage, PageLoading } from "../shared/Status";
import { usePageMeta } from "../viewer/pageMeta";
import { SiteFrame } from "./SiteFrame";
import { useSiteSettings } from "./siteSettings";

/** `/about`: the organisation's About page (Markdown the server rendered and sanitized). */
export default function AboutPage() {
  const settings = useSiteSettings();
  usePageMeta(settings ? `About · ${settings.platformName}` : null, null);
  if (!settings) return <PageLoading />;
  if (!settings.aboutHtml) return <NotFoundPage />;
  return (
    <SiteFrame settings={settings} back="/about">
      <h1>About {settings.platformName}</h1>
      <article className="prose" data-testid="about" dangerouslySetInnerHTML={{ __html: settings.aboutHtml }} />
    </SiteFrame>
  );
}
