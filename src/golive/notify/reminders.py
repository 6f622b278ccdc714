"""The sweep (every minute, from the job worker): notifies the accounts that hold a right on an event when it
is 15 minutes away and when it goes on air, and those whose right ends within a day; emails the reminders to
the accounts that opted in.

Who "registered" is read from the grants (a read across domains, kept to this module): an account's own grants,
and those of its verified address (an admin's complimentary access). Each occasion is written once per account
(the notifications' dedupe key), so overlapping sweeps, several workers or a retried job never repeat one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access.grant_models import Grant, ScopeKind, SubjectKind
from golive.email import service as email_service
from golive.email.account_templates import reminder_email
from golive.events.models import Event, EventStatus, EventType
from golive.identity.accounts.models import Account, AccountStatus
from golive.notify import service
from golive.notify.models import NotificationType
from golive.notify.service import NewNotification
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.site.service import email_time_zone, local_time

log = logging.getLogger("golive.notify")

STARTING_SOON = timedelta(minutes=15)
EXPIRING_WITHIN = timedelta(days=1)
# an event that went on air longer ago than this is not announced any more (a worker that was down for an hour)
LIVE_NEWS_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class Occasion:
    account_id: str
    email: str
    event_id: str
    title: str
    notification: NewNotification


def _active(now: datetime) -> list[ColumnElement[bool]]:
    return [
        Grant.revoked_at.is_(None),
        Grant.valid_from <= now,
        or_(Grant.valid_until.is_(None), Grant.valid_until > now),
    ]


def _holders() -> ColumnElement[bool]:
    """Grants held by an active account, itself or through its verified address."""
    return or_(
        and_(Grant.subject_kind == SubjectKind.ACCOUNT, Grant.subject_id == Account.account_id),
        and_(
            Grant.subject_kind == SubjectKind.EMAIL,
            Grant.subject_id == Account.email,
            Account.email_verified_at.is_not(None),
        ),
    )


async def _event_occasions(
    session: AsyncSession,
    now: datetime,
    conditions: list[ColumnElement[bool]],
    note: Callable[[Event], NewNotification],
) -> list[Occasion]:
    """One occasion for each active account holding a right on each event that meets the conditions."""
    events = {
        event.event_id: event
        for event in await session.scalars(select(Event).where(Event.deleted_at.is_(None), *conditions))
    }
    if not events:
        return []
    holders = await session.execute(
        select(Grant.scope_id, Account)
        .join(Account, _holders())
        .where(
            Grant.scope_kind == ScopeKind.EVENT,
            Grant.scope_id.in_(events),
            Account.status == AccountStatus.ACTIVE,
            *_active(now),
        )
        .distinct()
    )
    occasions = []
    for event_id, account in holders:
        event = events[event_id]
        occasions.append(Occasion(account.account_id, account.email, event_id, event.title, note(event)))
    return occasions


def _event_note(event: Event, kind: NotificationType, occasion: str, title: str, body: str) -> NewNotification:
    """A notification about an event, leading to its page, once per account and `occasion`."""
    return NewNotification(
        kind=kind,
        title=title,
        body=body,
        link=f"/e/{event.event_id}",
        event_id=event.event_id,
        dedupe_key=f"{occasion}:{event.event_id}",
    )


async def _starting_soon(session: AsyncSession, now: datetime) -> list[Occasion]:
    def note(event: Event) -> NewNotification:
        starts = event.scheduled_start or now + STARTING_SOON
        minutes = max(1, round((starts - now).total_seconds() / 60))
        title = f"{event.title} starts in {minutes} minutes"
        body = "Open the event to be there when it starts."
        return _event_note(event, NotificationType.EVENT_STARTING_SOON, "starting", title, body)

    due = [
        Event.status == EventStatus.SCHEDULED,
        Event.scheduled_start > now,
        Event.scheduled_start <= now + STARTING_SOON,
    ]
    return await _event_occasions(session, now, due, note)


async def _on_air(session: AsyncSession, now: datetime) -> list[Occasion]:
    def note(event: Event) -> NewNotification:
        title = f"{event.title} is live now"
        return _event_note(event, NotificationType.EVENT_LIVE, "live", title, "It is on air: watch it now.")

    on_air = [
        Event.event_type == EventType.LIVE,
        Event.status == EventStatus.LIVE,
        Event.updated_at > now - LIVE_NEWS_FOR,
    ]
    return await _event_occasions(session, now, on_air, note)


async def _expiring(session: AsyncSession, now: datetime, zone: str) -> list[Occasion]:
    rows = await session.execute(
        select(Grant, Account, Event.title)
        .join(Account, _holders())
        .join(Event, and_(Event.event_id == Grant.scope_id, Event.deleted_at.is_(None)))
        .where(
            Grant.scope_kind == ScopeKind.EVENT,
            Grant.valid_until.is_not(None),
            Grant.valid_until <= now + EXPIRING_WITHIN,
            Account.status == AccountStatus.ACTIVE,
            *_active(now),
        )
    )
    occasions = []
    for grant, account, title in rows:
        ends = local_time(grant.valid_until, zone) if grant.valid_until else ""
        note = NewNotification(
            kind=NotificationType.ACCESS_EXPIRING,
            title=f"Your access to {title} ends soon",
            body=f"You can watch until {ends}.",
            link=f"/e/{grant.scope_id}",
            event_id=grant.scope_id,
            dedupe_key=f"expiring:{grant.grant_id}",
        )
        occasions.append(Occasion(account.account_id, account.email, grant.scope_id, title, note))
    return occasions


async def sweep(ctx: AppContext, now: datetime | None = None) -> int:
    """Writes what is due; emails it to those who want reminders. Returns how many notifications it wrote."""
    now = now or utcnow()
    zone = await email_time_zone(ctx)
    async with ctx.db.sessionmaker() as session:
        soon, on_air = await _starting_soon(session, now), await _on_air(session, now)
        occasions = [*soon, *on_air, *await _expiring(session, now, zone)]
        added = [o for o in occasions if await service.notify(session, o.account_id, o.notification)]
        wanted = await service.wants_reminder_emails(session, sorted({o.account_id for o in added}))
        await session.commit()
    base = ctx.settings.base_url
    for occasion in added:
        if occasion.account_id not in wanted:
            continue
        note = occasion.notification
        content = reminder_email(
            subject=note.title,
            lead=f"{note.title}. {note.body}",
            link=f"{base}{note.link}",
            label="Open the event",
            preferences_link=f"{base}/account",
        )
        await email_service.send_email(
            ctx,
            email_service.OutgoingEmail(
                to=occasion.email, email_type=f"reminder_{note.kind.value}", content=content, event_id=occasion.event_id
            ),
        )
    if added:
        log.info("notified %d accounts' reminders (%d emailed)", len(added), len(wanted))
    return len(added)
