import { NotificationBell } from "../account/NotificationBell";
import { ACCOUNT_CSRF_COOKIE, readCookie } from "../api/client";

/**
 * The viewer site's way to the account: the bell and "My library" for a browser that is signed in (its CSRF cookie
 * is there; no request is made for it), else "Sign in", which comes back to this page.
 */
export function AccountLink({ back }: { back: string }) {
  if (readCookie(ACCOUNT_CSRF_COOKIE)) {
    return (
      <span className="viewer-account">
        <NotificationBell />
        <a className="viewer-account-link" href="/account/library" data-testid="account-link">My library</a>
      </span>
    );
  }
  return (
    <a className="viewer-account-link" href={`/account/login?${new URLSearchParams({ next: back })}`} data-testid="account-link">
      Sign in
    </a>
  );
}
