"""Profiles on the wire: `{profileId, name, avatarUrl, isKids, maxRating, language, preferences, hasPin}`; a
PATCH's `pin` sets the PIN, or with null clears it."""

from __future__ import annotations

from pydantic import Field

from golive.identity.accounts.models import AccountProfile
from golive.platform.ratings import ContentRating
from golive.platform.schemas import CamelModel, InputModel

NAME = r"^\S(.*\S)?$"  # no leading or trailing space
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"  # a BCP 47 tag: en, pt-BR, es-419
PIN = r"^[0-9]{4}$"


class ProfilePreferences(InputModel):
    autoplay: bool = True
    audio_language: str | None = Field(default=None, pattern=LANGUAGE)
    subtitle_language: str | None = Field(default=None, pattern=LANGUAGE)


class ProfileCreate(InputModel):
    name: str = Field(min_length=1, max_length=40, pattern=NAME)
    is_kids: bool = False
    max_rating: ContentRating | None = Field(default=None, description="kids profiles: the highest rating shown")
    language: str = Field(default="en", pattern=LANGUAGE, description="a BCP 47 tag: en, pt-BR, es-419")
    preferences: ProfilePreferences = Field(default_factory=ProfilePreferences)
    pin: str | None = Field(default=None, pattern=PIN, description="4 digits")


class ProfileUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=40, pattern=NAME)
    is_kids: bool | None = None
    max_rating: ContentRating | None = None
    language: str | None = Field(default=None, pattern=LANGUAGE)
    preferences: ProfilePreferences | None = None
    pin: str | None = Field(default=None, pattern=PIN, description="4 digits")


class ProfileSelect(InputModel):
    pin: str | None = Field(default=None, pattern=PIN, description="4 digits")


class ProfileOut(CamelModel):
    profile_id: str
    name: str
    avatar_url: str | None
    is_kids: bool
    max_rating: ContentRating | None
    language: str
    preferences: dict[str, object]
    has_pin: bool
    current: bool = False


def profile_out(profile: AccountProfile, current_profile_id: str | None = None) -> ProfileOut:
    avatar = None
    if profile.avatar_updated_at is not None:
        avatar = f"/api/account/profiles/{profile.profile_id}/avatar?v={int(profile.avatar_updated_at.timestamp())}"
    return ProfileOut(
        profile_id=profile.profile_id,
        name=profile.name,
        avatar_url=avatar,
        is_kids=profile.is_kids,
        max_rating=profile.max_rating,
        language=profile.language,
        preferences=profile.preferences,
        has_pin=profile.pin_hash is not None,
        current=profile.profile_id == current_profile_id,
    )
