"""The SQL of the payments domain. Every status move is one conditional UPDATE, so concurrent or
replayed webhooks move a payment at most once, and a late, lower status never overwrites a higher one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access.grant_models import Grant, GrantSource, SubjectKind
from golive.access.models import PaymentStatus, Viewer
from golive.commerce.models import LedgerStatus, Payment, ProviderEvent, Refund, RefundStatus
from golive.events.models import Event
from golive.platform.db import utcnow
from golive.platform.text_search import contains

RECEIPT_SWEEP_BATCH = 200  # receipts one sweep sends at most (the next sweep takes the rest)


@dataclass(frozen=True)
class PaymentView:
    """A payment with what the reports show beside it."""

    payment: Payment
    event_title: str
    viewer_email: str | None


@dataclass(frozen=True)
class PaymentFilter:
    event_id: str | None = None
    status: LedgerStatus | None = None
    provider: str | None = None
    q: str | None = None
    account_id: str | None = None  # what an audience account paid (signed in, or as a guest before signing in)
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class RevenueLine:
    event_id: str
    event_title: str
    currency: str
    gross: int
    refunded: int
    payments: int


# --- webhook bookkeeping ---------------------------------------------------------------------------


async def claim_provider_event(
    session: AsyncSession, provider: str, event_id: str, event_type: str, payment_id: str | None
) -> bool:
    """Records the event id; False when it was already recorded (a replay). The first write of its
    transaction, so concurrent deliveries of one id queue on the key and exactly one goes on."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(ProviderEvent) if dialect == "postgresql" else sqlite.insert(ProviderEvent)
    values = {
        "provider": provider,
        "provider_event_id": event_id,
        "event_type": event_type,
        "payment_id": payment_id,
        "received_at": utcnow(),
    }
    result = await session.execute(
        insert.values(**values)
        .on_conflict_do_nothing(index_elements=[ProviderEvent.provider, ProviderEvent.provider_event_id])
        .returning(ProviderEvent.provider_event_id)
    )
    return result.first() is not None


# --- finding payments ------------------------------------------------------------------------------


async def get_payment(session: AsyncSession, payment_id: str) -> Payment | None:
    return await session.get(Payment, payment_id, populate_existing=True)


async def find_payment(
    session: AsyncSession,
    provider: str,
    *,
    payment_id: str | None,
    session_id: str | None,
    payment_intent_id: str | None,
) -> Payment | None:
    """Our id from the metadata first, then the provider's session and payment intent ids."""
    checks: list[ColumnElement[bool]] = []
    if payment_id:
        checks.append(Payment.payment_id == payment_id)
    if session_id:
        checks.append(Payment.provider_checkout_session_id == session_id)
    if payment_intent_id:
        checks.append(Payment.provider_payment_intent_id == payment_intent_id)
    for check in checks:
        found = await session.scalar(select(Payment).where(check, Payment.provider == provider))
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class ReusableCheckout:
    payment_id: str
    price_id: str | None
    url: str
    expires_at: datetime | None


async def reusable_checkout(
    session: AsyncSession,
    viewer_id: str,
    event_id: str,
    prices: Collection[tuple[str, int, str]],
    open_until: datetime,
) -> ReusableCheckout | None:
    """The viewer's newest checkout that is still open (not completed, not expiring soon) at one of these
    prices (price id, amount, currency: those on sale now, at their current amount); a declined card
    leaves it open, as Stripe Checkout does. A failure that ends the checkout (a wrong amount, an
    asynchronous failure) marks it completed, so it is not handed out again."""
    row = (
        await session.execute(
            select(Payment.payment_id, Payment.checkout_url, Payment.checkout_expires_at, Payment.price_id)
            .where(
                Payment.viewer_id == viewer_id,
                Payment.event_id == event_id,
                or_(
                    *(
                        and_(Payment.price_id == price_id, Payment.amount == amount, Payment.currency == currency)
                        for price_id, amount, currency in prices
                    )
                ),
                Payment.status.in_([LedgerStatus.PENDING, LedgerStatus.FAILED]),
                Payment.checkout_url.is_not(None),
                Payment.checkout_completed_at.is_(None),
                Payment.checkout_expires_at > open_until,
            )
            .order_by(Payment.initiated_at.desc())
            .limit(1)
        )
    ).first()
    if row is None or row[1] is None:
        return None
    return ReusableCheckout(payment_id=row[0], price_id=row[3], url=row[1], expires_at=row[2])


async def expire_abandoned(session: AsyncSession, *, expired_before: datetime, created_before: datetime) -> int:
    """Pending checkouts that expired unpaid (and were never completed) and rows whose checkout was never
    opened become `expired`, in one statement per kind; a late success still moves them on."""
    now = utcnow()
    lapsed = await session.execute(
        update(Payment)
        .where(
            Payment.status == LedgerStatus.PENDING,
            Payment.checkout_completed_at.is_(None),
            Payment.checkout_expires_at <= expired_before,
        )
        .values(status=LedgerStatus.EXPIRED, failure_reason="The checkout expired before it was paid", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    unopened = await session.execute(
        update(Payment)
        .where(Payment.status == LedgerStatus.CREATED, Payment.initiated_at <= created_before)
        .values(status=LedgerStatus.EXPIRED, failure_reason="The checkout was never opened", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(lapsed, "rowcount", 0) or 0) + int(getattr(unopened, "rowcount", 0) or 0)


def checkout_outcomes(event_id: str, viewer_id: str | None = None) -> Select[Any]:
    """The payments whose outcome their viewer is shown (access.hooks.payment_attempts): being processed
    after the checkout (pending with the checkout completed), or failed at the provider (a checkout was
    open: one the provider could not open was no attempt of the viewer's). An open, expired or created one
    says nothing, and a success or a refund speaks through the payment's grants."""
    processing = and_(Payment.status == LedgerStatus.PENDING, Payment.checkout_completed_at.is_not(None))
    declined = and_(Payment.status == LedgerStatus.FAILED, Payment.checkout_url.is_not(None))
    status = case(
        (Payment.status == LedgerStatus.PENDING, PaymentStatus.PENDING.value), else_=PaymentStatus.FAILED.value
    )
    query = select(
        Payment.viewer_id.label("viewer_id"),
        status.label("payment_status"),
        Payment.initiated_at.label("attempted_at"),
        Payment.payment_id.label("payment_id"),
    ).where(Payment.event_id == event_id, or_(processing, declined))
    if viewer_id is not None:
        query = query.where(Payment.viewer_id == viewer_id)
    return query


# --- status moves ----------------------------------------------------------------------------------


async def move(
    session: AsyncSession,
    payment_id: str,
    to: LedgerStatus,
    allowed_from: Collection[LedgerStatus],
    *,
    conditions: Collection[ColumnElement[bool]] = (),
    **values: Any,
) -> bool:
    """The one way a status changes: True for the single caller whose UPDATE found the row in a state it
    may leave. Everyone else (a replay, a concurrent delivery, a late lower status) gets False."""
    result = await session.execute(
        update(Payment)
        .where(Payment.payment_id == payment_id, Payment.status.in_(list(allowed_from)), *conditions)
        .values(status=to, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def note(session: AsyncSession, payment_id: str, **values: Any) -> None:
    """Facts that are not a status move (provider ids, the customer's email, receipt, method)."""
    await session.execute(
        update(Payment)
        .where(Payment.payment_id == payment_id)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )


async def claim_receipt(session: AsyncSession, payment_id: str) -> bool:
    """Whoever sets receipt_sent_at sends the receipt: the webhook's winner, or the sweep after a crash."""
    result = await session.execute(
        update(Payment)
        .where(Payment.payment_id == payment_id, Payment.receipt_sent_at.is_(None))
        .values(receipt_sent_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def release_receipt(session: AsyncSession, payment_id: str) -> None:
    """A receipt that could not be sent goes back to the sweep."""
    await note(session, payment_id, receipt_sent_at=None)


async def receipts_due(session: AsyncSession, confirmed_after: datetime, confirmed_before: datetime) -> list[str]:
    """Succeeded payments whose receipt never went out (a crash or a mail outage in between)."""
    rows = await session.scalars(
        select(Payment.payment_id)
        .where(
            Payment.status == LedgerStatus.SUCCEEDED,
            Payment.receipt_sent_at.is_(None),
            Payment.confirmed_at > confirmed_after,
            Payment.confirmed_at <= confirmed_before,
        )
        .order_by(Payment.confirmed_at)
        .limit(RECEIPT_SWEEP_BATCH)
    )
    return list(rows)


async def raise_refunded_total(session: AsyncSession, payment_id: str, total: int) -> bool:
    """The provider's running refunded total only ever raises ours (replays and reorderings are harmless)."""
    result = await session.execute(
        update(Payment)
        .where(Payment.payment_id == payment_id, Payment.refunded_amount < total)
        .values(refunded_amount=total, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def reserve_refund(session: AsyncSession, payment_id: str, amount: int) -> bool:
    """Counts a refund before the provider is asked, so two concurrent refunds can never exceed the payment."""
    result = await session.execute(
        update(Payment)
        .where(
            Payment.payment_id == payment_id,
            Payment.status == LedgerStatus.SUCCEEDED,
            Payment.refunded_amount + amount <= Payment.amount,
        )
        .values(refunded_amount=Payment.refunded_amount + amount, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def release_refund(session: AsyncSession, payment_id: str, amount: int) -> None:
    """The provider refused the refund: it no longer counts."""
    await session.execute(
        update(Payment)
        .where(Payment.payment_id == payment_id)
        .values(
            refunded_amount=case(
                (Payment.refunded_amount >= amount, Payment.refunded_amount - amount), else_=Payment.refunded_amount
            ),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )


async def finish_refund(
    session: AsyncSession, refund_id: str, status: RefundStatus, provider_refund_id: str | None, failure: str | None
) -> None:
    await session.execute(
        update(Refund)
        .where(Refund.refund_id == refund_id)
        .values(status=status, provider_refund_id=provider_refund_id, failure_reason=failure, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


# --- reports -------------------------------------------------------------------------------------

# the address the payer gave the provider's checkout, else the one the viewer gave the gate
_EMAIL = func.coalesce(Payment.customer_email, Viewer.email)
AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


def _listed(query: AnySelect, filters: PaymentFilter) -> AnySelect:
    query = query.join(Event, Event.event_id == Payment.event_id).join(Viewer, Viewer.viewer_id == Payment.viewer_id)
    if filters.event_id is not None:
        query = query.where(Payment.event_id == filters.event_id)
    if filters.status is not None:
        query = query.where(Payment.status == filters.status)
    if filters.provider is not None:
        query = query.where(Payment.provider == filters.provider)
    if filters.account_id is not None:
        # the account's payment grants name the payments it holds (copies of a guest's too, once it signed in)
        held = select(Grant.source_id).where(
            Grant.subject_kind == SubjectKind.ACCOUNT,
            Grant.subject_id == filters.account_id,
            Grant.source == GrantSource.PAYMENT,
        )
        query = query.where(Payment.payment_id.in_(held))
    if filters.q:
        term = filters.q.strip().lower()
        query = query.where(
            or_(
                func.lower(Payment.payment_id) == term,
                contains(Viewer.email, term),
                contains(Payment.customer_email, term),
            )
        )
    return query


async def receipt_facts(session: AsyncSession, payment_id: str) -> PaymentView | None:
    """What a receipt says, in one query: the payment, its event's title, the payer's email."""
    row = (
        await session.execute(
            _listed(select(Payment, Event.title, _EMAIL), PaymentFilter()).where(Payment.payment_id == payment_id)
        )
    ).first()
    return _view(row) if row is not None else None


def _view(row: Any) -> PaymentView:
    return PaymentView(payment=row[0], event_title=row[1], viewer_email=row[2])


async def list_payments(session: AsyncSession, filters: PaymentFilter) -> tuple[list[PaymentView], int]:
    total = await session.scalar(_listed(select(func.count()).select_from(Payment), filters))
    rows = await session.execute(
        _listed(select(Payment, Event.title, _EMAIL), filters)
        .order_by(Payment.initiated_at.desc(), Payment.payment_id.desc())
        .limit(filters.limit)
        .offset(filters.offset)
    )
    return [_view(row) for row in rows], int(total or 0)


async def iter_payments(
    session: AsyncSession, filters: PaymentFilter, batch_size: int = 1000
) -> AsyncIterator[list[PaymentView]]:
    """Every matching payment, newest first, a batch at a time (keyset on the time-ordered id)."""
    before: str | None = None
    while True:
        query = _listed(select(Payment, Event.title, _EMAIL), filters)
        if before is not None:
            query = query.where(Payment.payment_id < before)
        batch = [
            _view(row) for row in await session.execute(query.order_by(Payment.payment_id.desc()).limit(batch_size))
        ]
        if not batch:
            return
        yield batch
        before = batch[-1].payment.payment_id


async def get_payment_view(session: AsyncSession, payment_id: str) -> PaymentView | None:
    row = (
        await session.execute(
            _listed(select(Payment, Event.title, _EMAIL), PaymentFilter()).where(Payment.payment_id == payment_id)
        )
    ).first()
    return _view(row) if row is not None else None


async def revenue(session: AsyncSession, event_id: str | None) -> list[RevenueLine]:
    """Per event and currency: payments that succeeded (refunded ones included), and what went back."""
    where: list[ColumnElement[bool]] = [Payment.status.in_([LedgerStatus.SUCCEEDED, LedgerStatus.REFUNDED])]
    if event_id is not None:
        where.append(Payment.event_id == event_id)
    refunded = case(
        (and_(Payment.status == LedgerStatus.REFUNDED, Payment.refunded_amount == 0), Payment.amount),
        else_=Payment.refunded_amount,
    )
    rows = await session.execute(
        select(
            Payment.event_id, Event.title, Payment.currency, func.sum(Payment.amount), func.sum(refunded), func.count()
        )
        .join(Event, Event.event_id == Payment.event_id)
        .where(*where)
        .group_by(Payment.event_id, Event.title, Payment.currency)
        .order_by(Payment.event_id, Payment.currency)
    )
    return [
        RevenueLine(
            event_id=row[0],
            event_title=row[1],
            currency=row[2],
            gross=int(row[3] or 0),
            refunded=int(row[4] or 0),
            payments=int(row[5]),
        )
        for row in rows
    ]
