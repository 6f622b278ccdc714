"""An account's library: every event it holds a right on, newest first, each with where it stands now.

The states come from `decide.evaluate` over the account's grants (and those of its verified address), so the
library never says "play" where playback would refuse.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access.decide import Action, Reason, Subject, Target, evaluate
from golive.access.grant_models import REFUNDED, Grant, GrantSource, HeldGrant, ScopeKind, SubjectKind
from golive.events.models import AccessType, Event, EventStatus, EventType
from golive.platform.db import utcnow
from golive.platform.ratings import ContentRating


class LibraryState(enum.StrEnum):
    UPCOMING = "upcoming"  # entitled; the event starts at `startsAt`
    LIVE = "live"  # a broadcast on air now
    AVAILABLE = "available"  # a video to watch now
    REPLAY = "replay"  # a broadcast that ended: its replay
    EXPIRED = "expired"  # the right ran out (`validUntil`)
    REFUNDED = "refunded"  # the payment was refunded
    REVOKED = "revoked"  # the organizer withdrew it, or the event's gate changed since
    UNAVAILABLE = "unavailable"  # cancelled, archived, unpublished or deleted by the organizer
    RESTRICTED = "restricted"  # rated above what the watching profile may see


@dataclass(frozen=True)
class ShelvedEvent:
    """What the library shows of an event, and what `decide` reads of it."""

    event_id: str
    title: str
    event_type: EventType
    status: EventStatus
    scheduled_start: datetime | None
    thumbnail_url: str | None
    access_type: AccessType
    is_paid_event: bool
    content_rating: ContentRating | None
    deleted_at: datetime | None

    def target(self) -> Target:
        return Target(
            ScopeKind.EVENT, self.event_id, self.status, self.access_type, self.is_paid_event, self.content_rating
        )


SHELF_COLUMNS = tuple(getattr(Event, name) for name in ShelvedEvent.__dataclass_fields__)


@dataclass(frozen=True)
class LibraryEntry:
    event: ShelvedEvent
    state: LibraryState
    acquired_at: datetime
    valid_until: datetime | None
    paid: bool
    complimentary_grant_id: str | None  # the admin's grant to the address, or the one a copy was made from


async def library_page(
    session: AsyncSession, subject: Subject, *, limit: int, offset: int
) -> tuple[list[LibraryEntry], int]:
    """One page of the subject's events (ordered by its newest grant on each) and how many there are."""
    refs = subject.refs()
    if not refs:
        return [], 0
    who = or_(*(and_(Grant.subject_kind == kind, Grant.subject_id == sid) for kind, sid in refs))
    # grants alone (the subject's range of the unique index): a join to events here let PostgreSQL, its
    # statistics lagging a fast-growing table, loop over every event for every grant
    held = (
        select(Grant.scope_id, func.max(Grant.created_at).label("latest"))
        .where(who, Grant.scope_kind == ScopeKind.EVENT)
        .group_by(Grant.scope_id)
    )
    newest_first = held.add_columns(func.count().over().label("total")).order_by(
        func.max(Grant.created_at).desc(), Grant.scope_id.desc()
    )
    page = (await session.execute(newest_first.limit(limit).offset(offset))).all()
    # past the end: how many there are, all the same
    count = select(func.count()).select_from(held.subquery())
    total = int(page[0].total) if page else (await session.scalar(count) or 0)
    ids = [row.scope_id for row in page]
    if not ids:
        return [], total
    # Core rows, not ORM instances: a page builds dozens, and the ORM's bookkeeping cost more than the queries
    found = await session.execute(select(*SHELF_COLUMNS).where(Event.event_id.in_(ids)))
    events = {row.event_id: ShelvedEvent(**row._mapping) for row in found}
    grants: dict[str, list[HeldGrant]] = defaultdict(list)
    rows = await session.execute(
        select(Grant.__table__)
        .where(who, Grant.scope_kind == ScopeKind.EVENT, Grant.scope_id.in_(ids))
        .order_by(Grant.created_at)
    )
    for row in rows:
        grants[row.scope_id].append(HeldGrant.of(row._mapping))
    now = utcnow()
    entries = [
        _entry(events[event_id], grants[event_id], now, subject.max_rating) for event_id in ids if event_id in events
    ]
    return entries, total


def _entry(event: ShelvedEvent, grants: list[HeldGrant], now: datetime, limit: ContentRating | None) -> LibraryEntry:
    decision = evaluate(event.target(), grants, Action.WATCH, now, limit)
    paid = any(g.source == GrantSource.PAYMENT and g.revoked_at is None for g in grants)
    free = next((g for g in grants if g.source == GrantSource.COMPLIMENTARY and g.revoked_at is None), None)
    return LibraryEntry(
        event=event,
        state=_state(event, decision.reason, grants),
        acquired_at=min(g.created_at for g in grants),
        valid_until=decision.valid_until if decision.allowed else _latest_end(grants),
        paid=paid,
        complimentary_grant_id=(
            None if free is None else free.grant_id if free.subject_kind == SubjectKind.EMAIL else free.source_id
        ),
    )


def _state(event: ShelvedEvent, reason: Reason, grants: list[HeldGrant]) -> LibraryState:
    if event.deleted_at is not None:
        return LibraryState.UNAVAILABLE
    if reason == Reason.ALLOWED:
        if event.status == EventStatus.ENDED:
            return LibraryState.REPLAY
        return LibraryState.LIVE if event.event_type == EventType.LIVE else LibraryState.AVAILABLE
    if reason == Reason.NOT_STARTED:
        return LibraryState.UPCOMING
    if reason == Reason.EXPIRED:
        return LibraryState.EXPIRED
    if reason == Reason.NOT_AVAILABLE:
        return LibraryState.UNAVAILABLE
    if reason == Reason.RATING_RESTRICTED:
        return LibraryState.RESTRICTED
    if any(g.source == GrantSource.PAYMENT and g.revoked_reason == REFUNDED for g in grants):
        return LibraryState.REFUNDED
    return LibraryState.REVOKED


def _latest_end(grants: list[HeldGrant]) -> datetime | None:
    ends = [g.valid_until for g in grants if g.valid_until is not None and g.revoked_at is None]
    return max(ends) if ends else None
