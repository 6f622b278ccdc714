import { Route, Routes } from "react-router-dom";
import { ACCOUNT_CSRF_COOKIE, readCookie } from "../api/client";
import { NotFoundPage } from "../shared/Status";
import { SiteBrand } from "../site/SiteBrand";
import { DEFAULT_SITE, themeStyle, useSiteSettings } from "../site/siteSettings";
import { AccountHome } from "./AccountHome";
import { LoginPage, ResetPage, SignupPage, VerifyPage } from "./AccountForms";
import { LibraryPage } from "./LibraryPage";
import { NotificationBell } from "./NotificationBell";
import { ProfilePicker } from "./ProfilePicker";

/** The audience's own pages: sign-up, sign-in, the pages the emailed codes link to, and the account itself. */
export default function AccountApp() {
  const settings = useSiteSettings();
  return (
    <div className="site-page" style={themeStyle(settings?.primaryColor ?? DEFAULT_SITE.primaryColor)}>
    <header className="viewer-topbar">
      <SiteBrand settings={settings} />
      {readCookie(ACCOUNT_CSRF_COOKIE) ? <span className="viewer-account"><NotificationBell /></span> : null}
    </header>
    <main className="account-page">
      <Routes>
        <Route index element={<AccountHome />} />
        <Route path="library" element={<LibraryPage />} />
        <Route path="profiles" element={<ProfilePicker />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="verify" element={<VerifyPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="reset" element={<ResetPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </main>
    </div>
  );
}
