"""A viewer's payment as the registrations list (its filter and CSV), the payment funnel and the admission answer
show it (seed 000's `isPaidViewer` and `paymentStatus`), read from where it is decided:

- paid (`success`) while the device holds an active payment grant on the event: its own payment, or the
  payer's, proved on this device with the emailed code;
- else the latest of its payment grants a full refund revoked (`refunded`, at the revocation) and its own
  checkout outcomes in the ledger (`pending`, `failed`, at the checkout's start; commerce says which payments
  those are, through the `payment_attempts` hook);
- else `none`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import repository
from golive.access.gates import Gate
from golive.access.grant_models import REFUNDED, Grant, GrantFacts, GrantSource, ScopeKind, SubjectKind
from golive.access.hooks import payment_attempts
from golive.access.models import PaymentStatus, Viewer
from golive.events import service as events_service
from golive.events.models import AccessType
from golive.platform.context import AppContext


@dataclass(frozen=True)
class DevicePayment:
    is_paid_viewer: bool
    payment_status: PaymentStatus


PAID = DevicePayment(True, PaymentStatus.SUCCESS)
UNPAID = DevicePayment(False, PaymentStatus.NONE)


class Device(NamedTuple):
    viewer_id: str
    client_viewer_id: str


def _payment_grants(event_id: str, device: Device | None) -> list[ColumnElement[bool]]:
    where = [
        Grant.subject_kind == SubjectKind.GUEST,
        Grant.scope_kind == ScopeKind.EVENT,
        Grant.scope_id == event_id,
        Grant.source == GrantSource.PAYMENT,
    ]
    if device is not None:
        where.append(Grant.subject_id == device.client_viewer_id)
    return where


def posture_rows(event_id: str, device: Device | None = None, among: ColumnElement[bool] | None = None) -> Select[Any]:
    """(viewer_id, paid 0/1, payment_status) of every admission record of the event, of one device, or of the
    records `among` picks (a page's): a query the callers join into their own statement, so filtering,
    grouping and paging stay in the database."""
    active = (
        select(Grant.subject_id)
        .where(*_payment_grants(event_id, device), Grant.revoked_at.is_(None))
        .group_by(Grant.subject_id)
        .subquery()
    )
    refunds = (
        select(Grant.subject_id, func.max(Grant.revoked_at).label("at"))
        .where(*_payment_grants(event_id, device), Grant.revoked_reason == REFUNDED)
        .group_by(Grant.subject_id)
        .subquery()
    )
    attempts = payment_attempts.call(event_id, device.viewer_id if device is not None else None).subquery()
    newest = (
        select(attempts.c.viewer_id, func.max(attempts.c.attempted_at).label("at"))
        .group_by(attempts.c.viewer_id)
        .subquery()
    )
    # each viewer's latest checkout outcome, one row per viewer (two begun in the same microsecond: either)
    latest = (
        select(attempts.c.viewer_id, func.max(attempts.c.payment_status).label("status"), newest.c.at)
        .join(newest, and_(newest.c.viewer_id == attempts.c.viewer_id, newest.c.at == attempts.c.attempted_at))
        .group_by(attempts.c.viewer_id, newest.c.at)
        .subquery()
    )
    after_refund = case(
        (and_(latest.c.at.is_not(None), or_(refunds.c.at.is_(None), latest.c.at > refunds.c.at)), latest.c.status)
    )
    paid = active.c.subject_id.is_not(None)
    unpaid = case((refunds.c.at.is_not(None), PaymentStatus.REFUNDED.value), else_=PaymentStatus.NONE.value)
    status = case((paid, literal(PaymentStatus.SUCCESS.value)), else_=func.coalesce(after_refund, unpaid))
    query: Select[Any] = (
        select(Viewer.viewer_id, case((paid, 1), else_=0).label("paid"), status.label("payment_status"))
        .outerjoin(active, active.c.subject_id == Viewer.client_viewer_id)
        .outerjoin(refunds, refunds.c.subject_id == Viewer.client_viewer_id)
        .outerjoin(latest, latest.c.viewer_id == Viewer.viewer_id)
        .where(Viewer.event_id == event_id)
    )
    if device is not None:
        query = query.where(Viewer.viewer_id == device.viewer_id)
    if among is not None:
        query = query.where(among)
    return query


async def device_payment(session: AsyncSession, event_id: str, device: Device) -> DevicePayment:
    posture = posture_rows(event_id, device).subquery()
    row = (await session.execute(select(posture.c.paid, posture.c.payment_status))).first()
    if row is None:
        return UNPAID
    return DevicePayment(bool(row.paid), PaymentStatus(row.payment_status))


async def admitted_payment(ctx: AppContext, gate: Gate, device: Device, grants: Sequence[GrantFacts]) -> DevicePayment:
    """The admission answer's, from the device's grants the admission already read; only a device that may have
    more to say asks again (a payment grant it lost, or a cleared gate of a paid event: its checkouts), so
    the admissions of free events and first visits cost no read of their own."""
    payment_grants = [grant for grant in grants if grant.source == GrantSource.PAYMENT]
    if any(grant.revoked_at is None for grant in payment_grants):
        return PAID
    if not payment_grants and not (gate.is_paid_event and grants):
        return UNPAID
    async with ctx.db.sessionmaker() as session:
        return await device_payment(session, gate.event_id, device)


async def payment_funnel(session: AsyncSession, event_id: str) -> list[tuple[AccessType, PaymentStatus, int]]:
    """Viewers per (accessMode, paymentStatus): seed 000's on-call funnel."""
    await events_service.get_event(session, event_id)
    posture = posture_rows(event_id).subquery()
    rows = await session.execute(
        select(Viewer.access_mode, posture.c.payment_status, func.count())
        .join(posture, posture.c.viewer_id == Viewer.viewer_id)
        .group_by(Viewer.access_mode, posture.c.payment_status)
        .order_by(Viewer.access_mode, posture.c.payment_status)
    )
    return [(AccessType(mode), PaymentStatus(status), int(count)) for mode, status, count in rows]


async def take_payer_email(session: AsyncSession, viewer_id: str, payer_email: str | None) -> None:
    """A succeeded payment's one mark on the admission record: a viewer who gave no email of their own
    (anonymous, password) takes the checkout's, which is how they come back on a new device."""
    if payer_email:
        await repository.take_payer_email(session, viewer_id, payer_email)
