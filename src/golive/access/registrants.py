"""The registrations list: an event's viewers folded into people (one entry per email; a row without an
email is an entry of its own), filtered, paged and streamed for the CSV, each statement joining the payment
posture of the rows (`payment_posture.posture_rows`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, Integer, Select, cast, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access.models import DeviceType, PaymentStatus, Viewer
from golive.access.payment_posture import posture_rows
from golive.events.models import AccessType


@dataclass(frozen=True)
class RegistrationFilter:
    access_mode: AccessType | None = None
    payment_status: PaymentStatus | None = None
    access_verified: bool | None = None
    q: str | None = None
    limit: int = 20
    offset: int = 0


def _filtered(query: Select[Any], event_id: str, filters: RegistrationFilter) -> Select[Any]:
    query = query.where(Viewer.event_id == event_id)
    if filters.access_mode is not None:
        query = query.where(Viewer.access_mode == filters.access_mode)
    if filters.payment_status is not None:
        posture = posture_rows(event_id).subquery("filtered_posture")
        query = query.join(posture, posture.c.viewer_id == Viewer.viewer_id).where(
            posture.c.payment_status == filters.payment_status.value
        )
    if filters.access_verified is not None:
        query = query.where(Viewer.access_verified == (true() if filters.access_verified else false()))
    if filters.q:
        pattern = f"%{filters.q.lower()}%"
        query = query.where(or_(func.lower(Viewer.email).like(pattern), func.lower(Viewer.name).like(pattern)))
    return query


@dataclass(frozen=True)
class Registrant:
    """A person in the registrations list: their devices' rows folded into one (the same email is the same
    person; a row without an email is a person of its own). `first` is their first device's row."""

    first: Viewer
    device_count: int
    access_verified: bool
    is_paid_viewer: bool
    payment_status: PaymentStatus
    first_join_at: datetime
    last_join_at: datetime
    total_sessions: int
    total_watch_time: int

    # who the person is, as their first device's row says (the registration they made there)
    @property
    def viewer_id(self) -> str:
        return self.first.viewer_id

    @property
    def client_viewer_id(self) -> str:
        return self.first.client_viewer_id

    @property
    def email(self) -> str | None:
        return self.first.email

    @property
    def name(self) -> str | None:
        return self.first.name

    @property
    def access_mode(self) -> AccessType:
        return self.first.access_mode

    @property
    def form_data(self) -> dict[str, Any]:
        return self.first.form_data

    @property
    def device_type(self) -> DeviceType:
        return self.first.device_type

    @property
    def ip_address(self) -> str | None:
        return self.first.ip_address


def _person() -> Any:
    return func.coalesce(Viewer.email, Viewer.viewer_id)


def _people(event_id: str, filters: RegistrationFilter) -> Any:
    """One row per person with a device matching the filters, aggregated over all of their devices."""
    matching = _filtered(select(_person()), event_id, filters).distinct()
    return (
        select(
            _person().label("person"),
            func.min(Viewer.viewer_id).label("first_id"),
            func.count().label("devices"),
            func.max(cast(Viewer.access_verified, Integer)).label("verified"),
            func.min(Viewer.first_join_at).label("first_join"),
            func.max(Viewer.last_join_at).label("last_join"),
            func.sum(Viewer.total_sessions).label("sessions"),
            func.sum(Viewer.total_watch_time).label("watched"),
        )
        .where(Viewer.event_id == event_id, _person().in_(matching))
        .group_by(_person())
    )


def _registrant(row: Any) -> Registrant:
    first: Viewer = row[0]
    paid = bool(row.paid)
    return Registrant(
        first=first,
        device_count=int(row.devices),
        access_verified=bool(row.verified),
        is_paid_viewer=paid,
        payment_status=PaymentStatus.SUCCESS if paid else PaymentStatus(row.first_payment),
        first_join_at=row.first_join,
        last_join_at=row.last_join,
        total_sessions=int(row.sessions or 0),
        total_watch_time=int(row.watched or 0),
    )


def _with_payment(event_id: str, page: CTE) -> Select[Any]:
    """A page of people beside their first device's row and their payment: paid if a device of theirs is,
    else what their first device shows (pending, failed, refunded or none). Read for the page's devices
    alone, so a page costs the same whether the event has a hundred viewers or a hundred thousand."""
    posture = posture_rows(event_id, among=_person().in_(select(page.c.person))).cte("page_posture")
    paid = (
        select(_person().label("person"), func.max(posture.c.paid).label("paid"))
        .join(posture, posture.c.viewer_id == Viewer.viewer_id)
        .group_by(_person())
        .subquery()
    )
    columns = (page.c.devices, page.c.verified, paid.c.paid, page.c.first_join, page.c.last_join)
    return (
        select(Viewer, *columns, page.c.sessions, page.c.watched, posture.c.payment_status.label("first_payment"))
        .join(page, Viewer.viewer_id == page.c.first_id)
        .join(paid, paid.c.person == page.c.person)
        .join(posture, posture.c.viewer_id == Viewer.viewer_id)
    )


async def list_registrants(
    session: AsyncSession, event_id: str, filters: RegistrationFilter
) -> tuple[list[Registrant], int]:
    people = _people(event_id, filters)
    total = await session.scalar(select(func.count()).select_from(people.subquery()))
    newest_first = (people.selected_columns.first_join.desc(), people.selected_columns.first_id.desc())
    page = people.order_by(*newest_first).limit(filters.limit).offset(filters.offset).cte("page")
    rows = await session.execute(
        _with_payment(event_id, page).order_by(page.c.first_join.desc(), Viewer.viewer_id.desc())
    )
    return [_registrant(row) for row in rows], int(total or 0)


async def iter_registrants(
    session: AsyncSession, event_id: str, filters: RegistrationFilter, batch_size: int = 1000
) -> AsyncIterator[list[Registrant]]:
    """Every matching person in order of their first device, a batch at a time (keyset on its ULID)."""
    after = ""
    while True:
        people = _people(event_id, filters).having(func.min(Viewer.viewer_id) > after)
        page = people.order_by(people.selected_columns.first_id).limit(batch_size).cte("page")
        rows = await session.execute(_with_payment(event_id, page).order_by(Viewer.viewer_id))
        batch = [_registrant(row) for row in rows]
        if not batch:
            return
        yield batch
        after = batch[-1].first.viewer_id
