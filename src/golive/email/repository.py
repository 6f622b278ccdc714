"""Queries of the email log: the console's list and its CSV export (newest first, keyset batches)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.email.models import EmailMessage, EmailStatus
from golive.events.models import Event
from golive.platform.text_search import contains


@dataclass(frozen=True)
class EmailFilter:
    email_type: str | None = None
    status: EmailStatus | None = None
    recipient: str | None = None  # part of the address, any case
    event_id: str | None = None
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class EmailView:
    message: EmailMessage
    event_title: str | None


def _listed(filters: EmailFilter) -> Select[EmailMessage, str]:
    query = select(EmailMessage, Event.title).outerjoin(Event, Event.event_id == EmailMessage.event_id)
    if filters.email_type is not None:
        query = query.where(EmailMessage.email_type == filters.email_type)
    if filters.status is not None:
        query = query.where(EmailMessage.status == filters.status)
    if filters.event_id is not None:
        query = query.where(EmailMessage.event_id == filters.event_id)
    if filters.recipient:
        query = query.where(contains(EmailMessage.recipient_email, filters.recipient))
    return query


async def list_emails(session: AsyncSession, filters: EmailFilter) -> tuple[list[EmailView], int]:
    query = _listed(filters)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.execute(
        query.order_by(EmailMessage.email_id.desc()).limit(filters.limit).offset(filters.offset)
    )
    return [EmailView(message, title) for message, title in rows], int(total or 0)


async def get_email_view(session: AsyncSession, email_id: str) -> EmailView | None:
    row = (await session.execute(_listed(EmailFilter()).where(EmailMessage.email_id == email_id))).first()
    return EmailView(row[0], row[1]) if row is not None else None


async def iter_emails(
    session: AsyncSession, filters: EmailFilter, batch_size: int = 1000
) -> AsyncIterator[list[EmailView]]:
    """Every matching message, newest first, a batch at a time (keyset on the time-ordered id)."""
    before: str | None = None
    while True:
        query = _listed(filters)
        if before is not None:
            query = query.where(EmailMessage.email_id < before)
        rows = await session.execute(query.order_by(EmailMessage.email_id.desc()).limit(batch_size))
        batch = [EmailView(message, title) for message, title in rows]
        if not batch:
            return
        yield batch
        before = batch[-1].message.email_id


async def email_types(session: AsyncSession) -> list[str]:
    """The types the log holds, for the console's filter."""
    return list(await session.scalars(select(EmailMessage.email_type).distinct().order_by(EmailMessage.email_type)))
