import { useEffect, useState } from "react";
import { Link, Navigate, useNavigate } from "react-router-dom";
import { account, ApiError } from "../api/client";
import { useApi } from "../api/useApi";
import type { AccountSession } from "../api/types";
import { ErrorMessage, PageLoading } from "../shared/Status";
import { EmailPreferences } from "./EmailPreferences";
import { ProfileManager } from "./ProfileManager";

function deviceName(session: AccountSession): string {
  const agent = session.userAgent ?? "";
  const system = /iPhone|iPad|Android|Windows|Mac OS X|Linux|CrOS/.exec(agent)?.[0]?.replace("Mac OS X", "macOS") ?? "";
  const browser = /Edg|Firefox|Chrome|Safari/.exec(agent)?.[0]?.replace("Edg", "Edge") ?? "";
  return [browser, system].filter(Boolean).join(" on ") || "An unknown device";
}

/** The signed-in account: who it is, the devices it is signed in on (end any), sign out here or everywhere. */
export function AccountHome() {
  const navigate = useNavigate();
  const me = useApi((signal) => account.me(signal), []);
  const devices = useApi((signal) => account.sessions(signal), [], { enabled: me.data !== null && !me.data.kids });
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [password, setPassword] = useState("");
  useEffect(() => {
    document.title = "Your account";
  }, []);

  if (me.loading && !me.data) return <PageLoading />;
  if (!me.data) return <Navigate to="/account/login" replace />;

  async function act(call: () => Promise<void>) {
    setError(null);
    try {
      await call();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Something went wrong. Please try again.");
    }
  }
  const signOut = (everywhere: boolean) =>
    act(async () => {
      await account.logout(everywhere);
      navigate("/account/login", { replace: true });
    });

  if (me.data.kids) {
    // a kids profile opens none of the account's settings
    return (
      <section className="account-card gate-card" aria-labelledby="account-title" data-testid="account-home">
        <h1 id="account-title">Kids profile</h1>
        <p>The account's settings open from a grown-up's profile.</p>
        <ErrorMessage>{error}</ErrorMessage>
        <div className="account-links">
          <Link to="/account/library">My library</Link>
          <Link to="/account/profiles?choose=1" data-testid="profile-switch">Switch profile</Link>
          <button type="button" className="btn btn-secondary" onClick={() => signOut(false)} data-testid="account-logout">
            Sign out
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="account-card gate-card" aria-labelledby="account-title" data-testid="account-home">
      <h1 id="account-title">Your account</h1>
      <p data-testid="account-identity">
        {me.data.name ? <strong>{me.data.name} </strong> : null}
        {me.data.email}
      </p>
      <p>
        <Link to="/account/library" data-testid="account-library-link">My library</Link>: everything you bought or registered for.
      </p>
      <ProfileManager />
      <EmailPreferences />
      <ErrorMessage>{error ?? devices.error}</ErrorMessage>
      <h2>Signed in on</h2>
      <ul className="account-sessions" data-testid="account-sessions">
        {(devices.data?.items ?? []).map((session) => (
          <li key={session.sessionId} data-testid="account-session">
            <span>
              {deviceName(session)}
              {session.current ? <strong> (this device)</strong> : null}
              <br />
              <small>
                last used {new Date(session.lastUsedAt).toLocaleString()}
                {session.ipAddress ? ` from ${session.ipAddress}` : ""}
              </small>
            </span>
            {session.current ? null : (
              <button
                type="button"
                className="btn btn-secondary"
                onClick={() => act(async () => { await account.endSession(session.sessionId); devices.reload(); })}
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="account-links">
        <button type="button" className="btn btn-secondary" onClick={() => signOut(false)} data-testid="account-logout">
          Sign out
        </button>
        {(devices.data?.items.length ?? 0) > 1 ? (
          <button type="button" className="btn btn-ghost" onClick={() => act(async () => { await account.endOtherSessions(); devices.reload(); })} data-testid="account-logout-others">
            Sign out the other devices
          </button>
        ) : null}
        <button type="button" className="btn btn-ghost" onClick={() => signOut(true)} data-testid="account-logout-everywhere">
          Sign out everywhere
        </button>
      </div>
      <h2>Your data</h2>
      <div className="account-links">
        <a href={account.exportUrl} download data-testid="account-export">
          Download my data (JSON)
        </a>
        {deleting ? null : (
          <button type="button" className="btn btn-ghost" onClick={() => setDeleting(true)} data-testid="account-delete">
            Delete my account…
          </button>
        )}
      </div>
      {deleting ? (
        <form
          className="account-delete"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await account.remove(me.data?.hasPassword ? password : null);
              navigate("/account/signup", { replace: true });
            });
          }}
        >
          <p>This deletes your account and what it keeps about you. It cannot be undone.</p>
          {me.data.hasPassword ? (
            <label className="field-label" htmlFor="account-delete-password">
              Your password
              <input
                id="account-delete-password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="account-delete-password"
              />
            </label>
          ) : null}
          <div className="account-links">
            <button type="submit" className="btn btn-danger" data-testid="account-delete-confirm">
              Delete my account
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setDeleting(false)}>
              Keep it
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
