import { useState } from "react";
import { Link } from "react-router-dom";
import { account, ApiError } from "../api/client";
import { useApi } from "../api/useApi";
import { CONTENT_RATINGS, type ContentRating, type Profile } from "../api/types";
import { ErrorMessage } from "../shared/Status";
import { ProfileAvatar } from "./ProfileAvatar";

const MAX_PROFILES = 5;

/** The account page's profiles: add (up to five), a PIN each, kids mode with its highest rating, an avatar, remove. */
export function ProfileManager() {
  const list = useApi((signal) => account.profiles(signal), []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState("");
  const [kids, setKids] = useState(false);
  const [rating, setRating] = useState<ContentRating>("PG");
  const [pin, setPin] = useState("");
  const profiles = list.data?.items ?? [];

  async function act(call: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await call();
      list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Something went wrong. Please try again.");
    } finally {
      setBusy(false);
    }
  }

  function askPin(profile: Profile) {
    const value = window.prompt(`A 4-digit PIN for ${profile.name}`);
    if (value !== null) void act(() => account.changeProfile(profile.profileId, { pin: value }));
  }

  return (
    <section aria-labelledby="profiles-title" data-testid="profile-manager">
      <h2 id="profiles-title">Profiles</h2>
      <ErrorMessage>{error}</ErrorMessage>
      <ul className="account-sessions">
        {profiles.map((profile) => (
          <li key={profile.profileId} data-testid="profile-row">
            <span className="profile-row-who">
              <ProfileAvatar profile={profile} />
              <span>
                {profile.name}
                {profile.current ? <strong> (watching here)</strong> : null}
                {profile.isKids ? <small> · Kids, up to {profile.maxRating ?? "G"}</small> : null}
                {profile.hasPin ? <small> · PIN</small> : null}
              </span>
            </span>
            <span className="profile-row-actions">
              <label className="btn btn-ghost">
                Photo
                <input
                  type="file"
                  accept="image/jpeg,image/png,image/webp,image/gif"
                  className="visually-hidden"
                  data-testid="profile-avatar-input"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) void act(() => account.setAvatar(profile.profileId, file));
                  }}
                />
              </label>
              {profile.hasPin ? (
                <button type="button" className="btn btn-ghost" onClick={() => void act(() => account.changeProfile(profile.profileId, { pin: null }))}>
                  Remove PIN
                </button>
              ) : (
                <button type="button" className="btn btn-ghost" onClick={() => askPin(profile)}>
                  Set PIN
                </button>
              )}
              {profiles.length > 1 ? (
                <button type="button" className="btn btn-ghost" onClick={() => void act(() => account.removeProfile(profile.profileId))}>
                  Remove<span className="visually-hidden"> {profile.name}</span>
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/account/profiles?choose=1" data-testid="profile-switch">Switch profile</Link>
      </p>
      {profiles.length < MAX_PROFILES ? (
        <form
          className="profile-add"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await account.addProfile({ name: name.trim(), isKids: kids, maxRating: kids ? rating : null, pin: pin || null });
              setName("");
              setPin("");
              setKids(false);
            });
          }}
        >
          <h3>Add a profile</h3>
          <label htmlFor="profile-name">Name</label>
          <input id="profile-name" data-testid="profile-name" value={name} maxLength={40} required onChange={(e) => setName(e.target.value)} />
          <label className="choice">
            <input type="checkbox" checked={kids} onChange={(e) => setKids(e.target.checked)} data-testid="profile-kids" /> Kids profile
          </label>
          {kids ? (
            <>
              <label htmlFor="profile-rating">Highest rating</label>
              <select id="profile-rating" value={rating} onChange={(e) => setRating(e.target.value as ContentRating)}>
                {CONTENT_RATINGS.map((value) => (
                  <option key={value} value={value}>{value}</option>
                ))}
              </select>
            </>
          ) : null}
          <label htmlFor="profile-new-pin">PIN (optional, 4 digits)</label>
          <input
            id="profile-new-pin"
            data-testid="profile-new-pin"
            inputMode="numeric"
            pattern="[0-9]{4}"
            maxLength={4}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, "").slice(0, 4))}
          />
          <button type="submit" className="btn btn-secondary" disabled={busy} data-testid="profile-add">Add profile</button>
        </form>
      ) : (
        <p>An account has at most {MAX_PROFILES} profiles.</p>
      )}
    </section>
  );
}
