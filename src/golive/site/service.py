"""Reading and changing the site settings; the brand every page and email carries."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.events.description import render_description
from golive.events.models import Event
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import NotFound, ValidationFailed
from golive.platform.images import ImageRule, webp_from_upload
from golive.site.home import ON_SHOW
from golive.site.models import THE_ROW, PlatformSettings
from golive.site.schemas import SiteSettingsAdminOut, SiteSettingsOut, SiteSettingsUpdate

MB = 1024 * 1024


class Picture(enum.StrEnum):
    LOGO = "logo"
    HERO_BACKGROUND = "hero-background"


PICTURE_RULES = {
    # shown at most 48 px high in the top bar; kept sharp on a 3x screen, wide logos stay wide
    Picture.LOGO: ImageRule(
        what="A logo image", too_large_code="logo_too_large", max_bytes=5 * MB, size=(960, 240), crop=False
    ),
    Picture.HERO_BACKGROUND: ImageRule(
        what="A background image",
        too_large_code="background_too_large",
        max_bytes=15 * MB,
        size=(1920, 1080),
        crop=False,
        quality=80,
    ),
}
PICTURE_COLUMNS = {Picture.LOGO: "logo", Picture.HERO_BACKGROUND: "hero_background"}
PICTURE_SET = {Picture.LOGO: "has_logo", Picture.HERO_BACKGROUND: "has_hero_background"}


async def current(session: AsyncSession) -> PlatformSettings:
    """The row (the migration writes it; a database built another way gets the defaults, race-free)."""
    row = await session.get(PlatformSettings, THE_ROW, populate_existing=True)
    if row is not None:
        return row
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    await session.execute(
        insert(PlatformSettings)
        .values(settings_id=THE_ROW, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=["settings_id"])
    )
    return await session.get_one(PlatformSettings, THE_ROW)


def _has(row: PlatformSettings, picture: Picture) -> bool:
    return bool(getattr(row, PICTURE_SET[picture]))


def picture_url(row: PlatformSettings, picture: Picture) -> str | None:
    if not _has(row, picture):
        return None
    return f"/api/settings/{picture.value}?v={row.version}"


def public_out(row: PlatformSettings) -> SiteSettingsOut:
    return SiteSettingsOut(
        platform_name=row.platform_name,
        logo_url=picture_url(row, Picture.LOGO),
        primary_color=row.primary_color,
        hero_title=row.hero_title,
        hero_subtitle=row.hero_subtitle,
        hero_background_url=picture_url(row, Picture.HERO_BACKGROUND),
        hero_cta_text=row.hero_cta_text,
        hero_cta_link=row.hero_cta_link,
        featured_event_ids=list(row.featured_event_ids or []),
        contact_email=row.contact_email,
        social_links=dict(row.social_links or {}),
        about_html=row.about_html,
        timezone=row.timezone,
    )


def admin_out(row: PlatformSettings) -> SiteSettingsAdminOut:
    return SiteSettingsAdminOut(
        **public_out(row).model_dump(),
        about_content=row.about_content,
        email_from_name=row.email_from_name,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


CLEARABLE = frozenset(
    {"hero_title", "hero_subtitle", "hero_cta_text", "hero_cta_link", "contact_email", "email_from_name"}
)


async def save(session: AsyncSession, body: SiteSettingsUpdate, actor: Actor) -> PlatformSettings:
    """Applies the sent fields, in the caller's unit of work, with an audit entry of what changed."""
    row = await current(session)
    sent = body.model_fields_set
    fields = SiteSettingsUpdate.model_fields
    wire = {name: fields[name].alias or name for name in sent}
    nulls = {wire[name]: "may not be null" for name in sent if getattr(body, name) is None and name not in CLEARABLE}
    if nulls:
        raise ValidationFailed("Invalid site settings", fields=nulls)
    values: dict[str, Any] = body.model_dump(include=sent, mode="json")
    if "featured_event_ids" in values:
        await _check_featured(session, values["featured_event_ids"])
    cta_text = values.get("hero_cta_text", row.hero_cta_text)
    cta_link = values.get("hero_cta_link", row.hero_cta_link)
    if bool(cta_text) != bool(cta_link):
        missing = "heroCtaLink" if cta_text else "heroCtaText"
        raise ValidationFailed("A call to action needs both its text and its link", fields={missing: "is required"})
    before = {wire[name]: _shown(getattr(row, name)) for name in sent}
    for name, value in values.items():
        setattr(row, name, value)
    if "about_content" in values:
        row.about_html = render_description(values["about_content"])
    row.updated_by = actor.id
    row.updated_at = utcnow()
    after = {wire[name]: _shown(getattr(row, name)) for name in sent}
    _audit(session, actor, "site.update", before, after)
    await session.flush()
    return await _reread(session)


async def _check_featured(session: AsyncSession, event_ids: list[str]) -> None:
    found = set(
        await session.scalars(
            select(Event.event_id).where(
                Event.event_id.in_(event_ids), Event.deleted_at.is_(None), Event.status.in_(ON_SHOW)
            )
        )
    )
    missing = [event_id for event_id in event_ids if event_id not in found]
    if missing:
        raise ValidationFailed(
            "Only scheduled, live and ended events can be featured",
            fields={"featuredEventIds": f"no published event {', '.join(missing)}"},
        )


async def set_picture(session: AsyncSession, picture: Picture, data: bytes, actor: Actor) -> PlatformSettings:
    """The upload, checked and re-encoded, becomes the site's logo or hero background."""
    image = webp_from_upload(data, PICTURE_RULES[picture])
    row = await current(session)
    had = _has(row, picture)
    await _write_picture(session, picture, image, actor)
    _audit(session, actor, f"site.{picture.value}.set", {"set": had}, {"set": True, "bytes": len(image)})
    return await _reread(session)


async def clear_picture(session: AsyncSession, picture: Picture, actor: Actor) -> PlatformSettings:
    row = await current(session)
    if not _has(row, picture):
        return row
    await _write_picture(session, picture, None, actor)
    _audit(session, actor, f"site.{picture.value}.clear", {"set": True}, {"set": False})
    return await _reread(session)


async def _write_picture(session: AsyncSession, picture: Picture, image: bytes | None, actor: Actor) -> None:
    """One UPDATE (the pictures are deferred: never loaded into the row only to be replaced)."""
    values = {PICTURE_COLUMNS[picture]: image, "updated_by": actor.id, "updated_at": utcnow()}
    await session.execute(
        update(PlatformSettings)
        .where(PlatformSettings.settings_id == THE_ROW)
        .values(values)
        .execution_options(synchronize_session=False)
    )


async def _reread(session: AsyncSession) -> PlatformSettings:
    """The row as written (whether it has pictures is read by the database, after the write)."""
    return await session.get_one(PlatformSettings, THE_ROW, populate_existing=True)


async def picture(session: AsyncSession, picture: Picture) -> bytes:
    column = getattr(PlatformSettings, PICTURE_COLUMNS[picture])
    data: bytes | None = await session.scalar(select(column).where(PlatformSettings.settings_id == THE_ROW))
    if data is None:
        raise NotFound(f"The site has no {picture.value.replace('-', ' ')}", code="picture_not_found")
    return data


def _shown(value: Any) -> Any:
    return value if not isinstance(value, bytes) else f"({len(value)} bytes)"


def _audit(session: AsyncSession, actor: Actor, action: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action=action,
        entity_type="site",
        entity_id="settings",
        before=before,
        after=after,
        ip_address=actor.ip,
    )


@dataclass(frozen=True)
class Brand:
    """What an email carries of the site: the sender's name, the name and colour in its header, a contact line."""

    platform_name: str
    from_name: str
    primary_color: str
    contact_email: str | None


async def brand(session: AsyncSession) -> Brand:
    row = await current(session)
    return Brand(
        platform_name=row.platform_name,
        from_name=row.email_from_name or row.platform_name,
        primary_color=row.primary_color,
        contact_email=row.contact_email,
    )


async def email_time_zone(ctx: AppContext) -> str:
    """The site's default time zone: the one an email's dates are written in (a mailbox has no zone to ask)."""
    async with ctx.db.sessionmaker() as session:
        zone = (await current(session)).timezone
        await session.commit()
    return zone


def local_time(moment: datetime, zone: str, pattern: str = "%d %B %Y, %H:%M") -> str:
    """`moment` in `zone`, named after it: "14 March 2027, 19:00 Europe/Paris", "... 18:00 UTC"."""
    return f"{moment.astimezone(ZoneInfo(zone)).strftime(pattern)} {zone}"
