"""Writing and reading an account's notifications, and its email preferences.

A notification is written in the caller's unit of work (it commits with what it tells of, or not at all), at
most once per account and occasion (`dedupe_key`), and its commit sends a notice that wakes the account's open
streams on every instance (golive.platform.notices).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from golive.notify.models import Notification, NotificationPreferences, NotificationType
from golive.platform.db import new_id, utcnow
from golive.platform.unit_of_work import notify_after_commit

NEW_NOTIFICATION_TOPIC = "notify.new"  # message: the account id


@dataclass(frozen=True)
class NewNotification:
    kind: NotificationType
    title: str
    body: str = ""
    link: str | None = None
    event_id: str | None = None
    # the occasion ("starting:<eventId>"): a second notification for it is not written
    dedupe_key: str | None = None


async def notify(session: AsyncSession, account_id: str, new: NewNotification) -> bool:
    """Adds the notification unless the account has one for the same occasion; True when it was added."""
    values: dict[str, Any] = {
        "notification_id": new_id(),
        "account_id": account_id,
        "kind": new.kind,
        "title": new.title[:200],
        "body": new.body[:500],
        "link": new.link,
        "event_id": new.event_id,
        "dedupe_key": new.dedupe_key,
        "created_at": utcnow(),
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(Notification).values(values)
    if new.dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["account_id", "dedupe_key"])
    added = getattr(await session.execute(statement), "rowcount", 0) == 1
    if added:
        notify_after_commit(session, NEW_NOTIFICATION_TOPIC, account_id)
    return added


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    total: int
    unread: int


async def unread_count(session: AsyncSession, account_id: str) -> int:
    query = select(func.count()).where(Notification.account_id == account_id, Notification.read_at.is_(None))
    return int(await session.scalar(query) or 0)


async def page(
    session: AsyncSession, account_id: str, *, limit: int, offset: int, unread_only: bool = False
) -> NotificationPage:
    """Newest first."""
    mine = select(Notification).where(Notification.account_id == account_id)
    if unread_only:
        mine = mine.where(Notification.read_at.is_(None))
    items = list(
        await session.scalars(
            mine.order_by(Notification.created_at.desc(), Notification.notification_id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    total = int(await session.scalar(select(func.count()).select_from(mine.subquery())) or 0)
    return NotificationPage(items, total, await unread_count(session, account_id))


async def newer_than(session: AsyncSession, account_id: str, seen: str | None, limit: int = 20) -> list[Notification]:
    """The account's notifications after `seen` (a notification id), oldest first: what a stream has not sent."""
    query = select(Notification).where(Notification.account_id == account_id)
    if seen is not None:
        query = query.where(Notification.notification_id > seen)
    newest = await session.scalars(query.order_by(Notification.notification_id.desc()).limit(limit))
    return list(reversed(list(newest)))


async def newest_id(session: AsyncSession, account_id: str) -> str | None:
    found = await session.scalar(
        select(func.max(Notification.notification_id)).where(Notification.account_id == account_id)
    )
    return str(found) if found is not None else None


async def mark_read(session: AsyncSession, account_id: str, notification_ids: list[str] | None) -> int:
    """Marks the given notifications of the account read (all of them for None); how many were unread."""
    query = update(Notification).where(Notification.account_id == account_id, Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.notification_id.in_(notification_ids))
    result = await session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
    marked = int(getattr(result, "rowcount", 0) or 0)
    if marked:
        notify_after_commit(session, NEW_NOTIFICATION_TOPIC, account_id)  # other tabs' counts follow
    return marked


# --- email preferences ------------------------------------------------------------------------------------


async def preferences(session: AsyncSession, account_id: str) -> NotificationPreferences:
    """The account's preferences (opted out of everything optional until it says otherwise)."""
    row = await session.get(NotificationPreferences, account_id)
    return row or NotificationPreferences(account_id=account_id, reminder_emails=False, announcement_emails=False)


async def set_preferences(
    session: AsyncSession, account_id: str, *, reminder_emails: bool | None, announcement_emails: bool | None
) -> NotificationPreferences:
    current = await preferences(session, account_id)
    values = {
        "reminder_emails": current.reminder_emails if reminder_emails is None else reminder_emails,
        "announcement_emails": current.announcement_emails if announcement_emails is None else announcement_emails,
        "updated_at": utcnow(),
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    await session.execute(
        insert(NotificationPreferences)
        .values(account_id=account_id, **values)
        .on_conflict_do_update(index_elements=["account_id"], set_=values)
    )
    return NotificationPreferences(account_id=account_id, **values)


async def wants_reminder_emails(session: AsyncSession, account_ids: list[str]) -> set[str]:
    if not account_ids:
        return set()
    found = await session.scalars(
        select(NotificationPreferences.account_id).where(
            NotificationPreferences.account_id.in_(account_ids), NotificationPreferences.reminder_emails.is_(True)
        )
    )
    return set(found)


async def export(session: AsyncSession, account_id: str) -> dict[str, Any]:
    """The account's notifications and email preferences, for its data export."""
    rows = await session.scalars(
        select(Notification).where(Notification.account_id == account_id).order_by(Notification.created_at)
    )
    chosen = await preferences(session, account_id)
    return {
        "notifications": [
            {
                "type": row.kind.value,
                "title": row.title,
                "body": row.body,
                "link": row.link,
                "createdAt": row.created_at.isoformat(),
                "readAt": row.read_at.isoformat() if row.read_at else None,
            }
            for row in rows
        ],
        "emailPreferences": {
            "reminderEmails": chosen.reminder_emails,
            "announcementEmails": chosen.announcement_emails,
        },
    }
