"""The admin list of events: one filtered, sorted page and the number matching, in one round trip."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Row, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive.events.hooks import event_price_columns
from golive.events.models import Event, EventStatus, EventType
from golive.events.schemas import EventSort


@dataclass(frozen=True)
class EventFilter:
    q: str | None = None
    status: EventStatus | None = None
    event_type: EventType | None = None
    is_paid: bool | None = None
    sort: EventSort = EventSort.START_DESC
    limit: int = 20
    offset: int = 0


# The admin list runs on the events table's Core columns (no ORM entities to build per row), with its
# statement parts made once: on the console's most frequent read, building SQL costs more than running it.
_EVENTS = Event.__table__.c
_LIST_COLUMNS = [
    *(column for column in _EVENTS if column.key != "access_password_hash"),
    _EVENTS.access_password_hash.is_not(None).label("has_password"),
    func.count().over().label("matching"),
]
_LIST_PAGE = select(*_LIST_COLUMNS).where(_EVENTS.deleted_at.is_(None))
_LIST_COUNT = select(func.count()).select_from(Event.__table__).where(_EVENTS.deleted_at.is_(None))


def _ordering(sort: EventSort, c: Any) -> list[Any]:
    """The sort over a query's event columns `c` (the table's, or the page subquery's)."""
    start_missing_last = c.scheduled_start.is_(None)
    return {
        EventSort.START_ASC: [start_missing_last, c.scheduled_start.asc(), c.event_id],
        EventSort.START_DESC: [start_missing_last, c.scheduled_start.desc(), c.event_id.desc()],
        EventSort.CREATED_ASC: [c.created_at.asc(), c.event_id],
        EventSort.CREATED_DESC: [c.created_at.desc(), c.event_id.desc()],
        EventSort.TITLE: [func.lower(c.title), c.event_id],
    }[sort]


def _filtered(query: Select[Any], filters: EventFilter) -> Select[Any]:
    """The filters as bound parameters, so one statement serves every value (see _statements)."""
    if filters.q:
        query = query.where(func.lower(_EVENTS.title).like(bindparam("title_pattern")))
    if filters.status is not None:
        query = query.where(_EVENTS.status == bindparam("status", type_=_EVENTS.status.type))
    if filters.event_type is not None:
        query = query.where(_EVENTS.event_type == bindparam("event_type", type_=_EVENTS.event_type.type))
    if filters.is_paid is not None:
        query = query.where(_EVENTS.is_paid_event == bindparam("is_paid", type_=_EVENTS.is_paid_event.type))
    return query


@functools.cache
def _statements(
    sort: EventSort, q: bool, status: bool, event_type: bool, is_paid: bool, priced: bool
) -> tuple[Select[Any], ...]:
    """The page and count statements of one filter shape, built once (at most 80 shapes): SQLAlchemy
    then reuses their compiled form without building or keying a new statement per request. `priced`: the
    page's rows carry their default price (commerce's columns), read for the page's rows alone (an outer
    query over it)."""
    shape = EventFilter(
        q="q" if q else None,
        status=EventStatus.DRAFT if status else None,
        event_type=EventType.VOD if event_type else None,
        is_paid=True if is_paid else None,
    )
    page = (
        _filtered(_LIST_PAGE, shape)
        .order_by(*_ordering(sort, _EVENTS))
        .limit(bindparam("limit", type_=Integer()))
        .offset(bindparam("offset", type_=Integer()))
    )
    if priced:
        rows = page.subquery("page")
        page = select(rows, *event_price_columns.call(rows.c.event_id)).order_by(*_ordering(sort, rows.c))
    return page, _filtered(_LIST_COUNT, shape)


async def list_events(
    session: AsyncSession | AsyncConnection, filters: EventFilter, *, priced: bool = False
) -> tuple[list[Row[Any]], int]:
    """A page of events (every column EventOut needs, whether a password is set but never its hash; `priced`:
    and its default price) and the number matching, in one round trip: the total is a window count over the
    filtered rows. Only a page past the end needs a second query for the total."""
    page, count = _statements(
        filters.sort,
        bool(filters.q),
        filters.status is not None,
        filters.event_type is not None,
        filters.is_paid is not None,
        priced,
    )
    values: dict[str, Any] = {
        "title_pattern": f"%{(filters.q or '').lower()}%",
        "status": filters.status,
        "event_type": filters.event_type,
        "is_paid": filters.is_paid,
    }
    rows = list(await session.execute(page, {**values, "limit": filters.limit, "offset": filters.offset}))
    if rows:
        return rows, int(rows[0].matching)
    if filters.offset == 0:
        return rows, 0
    return rows, int(await session.scalar(count, values) or 0)
