"""The home page's sections: live now, upcoming, featured, replays (scheduled, live and ended events only).

Listed events fill live, upcoming and replays; featured is the owner's own pick, in the owner's order, and may
show an unlisted event (featuring it is listing it). A video or an ended broadcast shows among the replays only
once its video is ready: a card must never lead to a page with nothing to play.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.events.hooks import event_prices
from golive.events.models import Event, EventStatus, EventType
from golive.site.hooks import with_video
from golive.site.models import PlatformSettings
from golive.site.schemas import HomeEvent, HomeOut

SECTION_SIZE = 12
# archived is "unpublished": its page still answers, but no card leads there
ON_SHOW = frozenset({EventStatus.SCHEDULED, EventStatus.LIVE, EventStatus.ENDED})
_CARD_COLUMNS = [
    getattr(Event, name)
    for name in HomeEvent.model_fields
    if name not in {"price_amount", "currency"} and hasattr(Event, name)
]
_PUBLISHED = select(*_CARD_COLUMNS).where(Event.deleted_at.is_(None), Event.status.in_(ON_SHOW))
_LISTED = _PUBLISHED.where(Event.is_listed.is_(True))
_SOONEST: list[Any] = [Event.scheduled_start.is_(None), Event.scheduled_start.asc(), Event.event_id]


async def home_sections(session: AsyncSession, settings: PlatformSettings) -> HomeOut:
    live = await _rows(
        session, _LISTED.where(Event.event_type == EventType.LIVE, Event.status == EventStatus.LIVE).order_by(*_SOONEST)
    )
    upcoming = await _rows(session, _LISTED.where(Event.status == EventStatus.SCHEDULED).order_by(*_SOONEST))
    replays = await _replays(session)
    featured_ids = list(settings.featured_event_ids or [])
    found = await _rows(session, _PUBLISHED.where(Event.event_id.in_(featured_ids))) if featured_ids else []
    by_id = {row.event_id: row for row in found}
    featured = [by_id[event_id] for event_id in featured_ids if event_id in by_id]
    sections = (live, upcoming, featured, replays)
    prices = await event_prices.call(session, sorted({row.event_id for rows in sections for row in rows}))
    cards = [[_card(row, prices) for row in rows] for rows in sections]
    return HomeOut(live=cards[0], upcoming=cards[1], featured=cards[2], replays=cards[3])


async def _replays(session: AsyncSession) -> list[Row[Any]]:
    """Videos on demand and ended broadcasts whose video is ready, newest first."""
    playable = or_(
        (Event.event_type == EventType.VOD) & Event.status.in_([EventStatus.LIVE, EventStatus.ENDED]),
        (Event.event_type == EventType.LIVE) & (Event.status == EventStatus.ENDED),
    )
    newest = func.coalesce(Event.scheduled_start, Event.created_at).desc()
    # a few more than a section holds: some may have no video yet
    candidates = await _rows(session, _LISTED.where(playable).order_by(newest, Event.event_id.desc()), 3 * SECTION_SIZE)
    ids = [row.event_id for row in candidates]
    playable_now = await with_video.call(session, ids) if ids else set()
    return [row for row in candidates if row.event_id in playable_now][:SECTION_SIZE]


async def _rows(session: AsyncSession, query: Any, limit: int = SECTION_SIZE) -> list[Row[Any]]:
    return list((await session.execute(query.limit(limit))).all())


def _card(row: Row[Any], prices: dict[str, Any]) -> HomeEvent:
    price = prices.get(row.event_id)
    return HomeEvent(
        **row._mapping,
        price_amount=price.amount if price else None,
        currency=price.currency if price else None,
    )
