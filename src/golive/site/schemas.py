"""The site settings on the wire (seed 003 `platform_settings` names, camelCase) and the home page's sections."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

from coloraide import Color
from pydantic import AfterValidator, EmailStr, Field, HttpUrl

from golive.events.models import AccessType, EventStatus, EventType
from golive.events.schemas import timezone_name
from golive.platform.ratings import ContentRating
from golive.platform.schemas import CamelModel, InputModel

# WCAG 2.1 AA for normal text: the site's buttons put white text on the primary colour
MIN_CONTRAST = 4.5
ON_PRIMARY = "#ffffff"
MAX_FEATURED = 12


class SocialNetwork(enum.StrEnum):
    WEBSITE = "website"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    X = "x"
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    LINKEDIN = "linkedin"
    TWITCH = "twitch"
    MASTODON = "mastodon"


def contrast_with_white(color: str) -> float:
    return float(Color(color).contrast(ON_PRIMARY, method="wcag21"))


def _readable_primary(value: str) -> str:
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValueError(
            f"white button text on {value} has a contrast of {ratio:.1f}:1; WCAG AA needs {MIN_CONTRAST}:1 "
            "(choose a darker colour)"
        )
    return value.lower()


def _one_line(value: str) -> str:
    if any(ord(ch) < 32 for ch in value):
        raise ValueError("must be one line of text")
    return value


def _distinct(ids: list[str]) -> list[str]:
    if len(set(ids)) != len(ids):
        raise ValueError("lists an event twice")
    return ids


PrimaryColor = Annotated[
    str,
    Field(pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb; white text on it must meet WCAG AA (4.5:1)"),
    AfterValidator(_readable_primary),
]
OneLine = Annotated[str, AfterValidator(_one_line)]
SiteLink = Annotated[str, Field(max_length=500, pattern=r"^(https?://|/)\S+$")]


class SiteSettingsUpdate(InputModel):
    """The fields sent are changed; null clears an optional one."""

    platform_name: OneLine | None = Field(default=None, min_length=1, max_length=80)
    primary_color: PrimaryColor | None = None
    hero_title: OneLine | None = Field(default=None, max_length=120)
    hero_subtitle: str | None = Field(default=None, max_length=300)
    hero_cta_text: OneLine | None = Field(default=None, max_length=40)
    hero_cta_link: SiteLink | None = None
    featured_event_ids: (
        Annotated[list[Annotated[str, Field(min_length=1, max_length=26)]], AfterValidator(_distinct)] | None
    ) = Field(default=None, max_length=MAX_FEATURED)
    contact_email: EmailStr | None = None
    social_links: dict[SocialNetwork, HttpUrl] | None = None
    about_content: str | None = Field(default=None, max_length=20000, description="Markdown")
    email_from_name: OneLine | None = Field(default=None, max_length=80)
    timezone: Annotated[str, AfterValidator(timezone_name)] | None = None


class SiteSettingsOut(CamelModel):
    """What every visitor's page reads (GET /api/settings)."""

    platform_name: str
    logo_url: str | None
    primary_color: str
    hero_title: str | None
    hero_subtitle: str | None
    hero_background_url: str | None
    hero_cta_text: str | None
    hero_cta_link: str | None
    featured_event_ids: list[str]
    contact_email: str | None
    social_links: dict[str, str]
    about_html: str
    timezone: str


class SiteSettingsAdminOut(SiteSettingsOut):
    """The console's form: the Markdown as written, the mail sender's name, who saved last."""

    about_content: str
    email_from_name: str | None
    updated_at: datetime
    updated_by: str | None


class HomeEvent(CamelModel):
    """One card on the home page."""

    event_id: str
    title: str
    status: EventStatus
    event_type: EventType
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    thumbnail_url: str | None
    access_type: AccessType
    is_paid_event: bool
    price_amount: int | None
    currency: str | None
    content_rating: ContentRating | None


class HomeOut(CamelModel):
    """The home page's sections, each in the order it is shown (a section with nothing in it is empty)."""

    live: list[HomeEvent]
    upcoming: list[HomeEvent]
    featured: list[HomeEvent]
    replays: list[HomeEvent]
