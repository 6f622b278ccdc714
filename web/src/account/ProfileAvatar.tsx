import type { Profile } from "../api/types";
import { initialsOf, placeholderColor } from "../admin/events/EventThumbnail";

/** The profile's avatar, or its initials on a colour of its own. */
export function ProfileAvatar({ profile }: { profile: Profile }) {
  if (profile.avatarUrl) return <img className="profile-avatar" src={profile.avatarUrl} alt="" />;
  return (
    <span className="profile-avatar profile-avatar-initials" style={{ background: placeholderColor(profile.profileId) }} aria-hidden="true">
      {initialsOf(profile.name)}
    </span>
  );
}
