import type { ReactNode } from "react";
import type { SiteSettings } from "../api/types";
import { AccountLink } from "../viewer/AccountLink";
import { SiteBrand } from "./SiteBrand";
import { SiteFooter } from "./SiteFooter";
import { themeStyle } from "./siteSettings";

/** A page of the site itself (home, about): its colour, its top bar with the way to the account, its footer. */
export function SiteFrame({ settings, back, children }: { settings: SiteSettings; back: string; children: ReactNode }) {
  return (
    <div className="site-page" style={themeStyle(settings.primaryColor)}>
      <header className="viewer-topbar">
        <SiteBrand settings={settings} />
        <AccountLink back={back} />
      </header>
      <main className="home-main">{children}</main>
      <SiteFooter settings={settings} />
    </div>
  );
}
