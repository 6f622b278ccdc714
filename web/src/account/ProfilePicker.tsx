import { useEffect, useRef, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { account, ApiError } from "../api/client";
import { useApi } from "../api/useApi";
import type { Profile } from "../api/types";
import { ErrorMessage, PageLoading } from "../shared/Status";
import { ProfileAvatar } from "./ProfileAvatar";
import { useNext } from "./returnTo";

/** /account/profiles: "Who's watching?" after every sign-in; a profile with a PIN asks for it. */
export function ProfilePicker() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = useNext();
  const list = useApi((signal) => account.profiles(signal), []);
  const [asking, setAsking] = useState<Profile | null>(null);
  const [pin, setPin] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinInput = useRef<HTMLInputElement>(null);
  const profiles = list.data?.items ?? [];
  const single = profiles.length === 1 && !profiles[0]!.hasPin ? profiles[0]! : null;

  useEffect(() => {
    document.title = "Who's watching?";
  }, []);
  useEffect(() => {
    if (asking) pinInput.current?.focus();
  }, [asking]);
  // one profile without a PIN: nobody needs to be asked
  useEffect(() => {
    if (single && params.get("choose") !== "1") void choose(single);
  }, [single]);

  async function choose(profile: Profile, withPin?: string) {
    if (profile.hasPin && withPin === undefined) {
      setAsking(profile);
      setPin("");
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await account.selectProfile(profile.profileId, withPin);
      if (next) window.location.assign(next);
      else navigate("/account", { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Something went wrong. Please try again.");
      setPin("");
    } finally {
      setBusy(false);
    }
  }

  if (list.loading && !list.data) return <PageLoading />;
  if (!list.data) return <Navigate to="/account/login" replace />;

  return (
    <section className="profile-picker" aria-labelledby="picker-title" data-testid="profile-picker">
      <h1 id="picker-title">Who's watching?</h1>
      <ErrorMessage>{error}</ErrorMessage>
      {asking ? (
        <form
          className="profile-pin"
          onSubmit={(e) => {
            e.preventDefault();
            void choose(asking, pin);
          }}
        >
          <ProfileAvatar profile={asking} />
          <label htmlFor="profile-pin">Enter {asking.name}'s PIN</label>
          <input
            ref={pinInput}
            id="profile-pin"
            data-testid="profile-pin"
            inputMode="numeric"
            autoComplete="off"
            pattern="[0-9]{4}"
            maxLength={4}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, "").slice(0, 4))}
          />
          <div className="account-links">
            <button type="submit" className="btn btn-primary" disabled={busy || pin.length !== 4} data-testid="profile-pin-submit">
              Open
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setAsking(null)}>
              Back
            </button>
          </div>
        </form>
      ) : (
        <ul className="profile-grid">
          {profiles.map((profile) => (
            <li key={profile.profileId}>
              <button type="button" className="profile-tile" disabled={busy} onClick={() => void choose(profile)} data-testid="profile-tile">
                <ProfileAvatar profile={profile} />
                <span className="profile-name">{profile.name}</span>
                {profile.isKids ? <span className="badge badge-scheduled">Kids</span> : null}
                {profile.hasPin ? <span className="badge badge-draft">PIN</span> : null}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
