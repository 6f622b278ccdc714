"""What happens on the local checkout page: a card is tried, the session completes (or not), events go out."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select, update

from golive.access.forms import normalize_email
from golive.commerce.local.cards import TEST_CARDS, CardForm, CardOutcome, check_card, digits
from golive.commerce.local.provider import emit, intent_object, session_object, stripe_event
from golive.commerce.models import LocalCheckoutSession, LocalSessionStatus
from golive.platform.context import AppContext
from golive.platform.db import new_id, utcnow

# Our own marker for an asynchronous payment that failed (Stripe's session keeps saying "unpaid").
ASYNC_FAILED = "failed"


class Attempt(enum.StrEnum):
    INVALID = "invalid"  # the form has mistakes; nothing was charged
    DECLINED = "declined"  # the card was declined; the session stays open for another card
    COMPLETED = "completed"  # paid, or accepted as processing: back to the event


@dataclass(frozen=True)
class AttemptResult:
    attempt: Attempt
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    redirect_url: str | None = None


async def load_session(ctx: AppContext, session_id: str) -> LocalCheckoutSession | None:
    """The session, expired first if its time is up (a viewer may open it long after)."""
    async with ctx.db.sessionmaker() as db:
        session = await db.get(LocalCheckoutSession, session_id)
    if session is not None and session.status == LocalSessionStatus.OPEN and session.expires_at <= utcnow():
        await expire_session(ctx, session_id)
        async with ctx.db.sessionmaker() as db:
            session = await db.get(LocalCheckoutSession, session_id)
    return session


async def expire_session(ctx: AppContext, session_id: str) -> bool:
    async with ctx.db.session() as db:
        result = await db.execute(
            update(LocalCheckoutSession)
            .where(
                LocalCheckoutSession.session_id == session_id, LocalCheckoutSession.status == LocalSessionStatus.OPEN
            )
            .values(status=LocalSessionStatus.EXPIRED)
            .execution_options(synchronize_session=False)
        )
        expired = getattr(result, "rowcount", 0) == 1
        session = await db.get(LocalCheckoutSession, session_id)
    if expired and session is not None:
        await emit(ctx, stripe_event("checkout.session.expired", session_object(session)))
    return expired


async def expire_due_sessions(ctx: AppContext, now: datetime | None = None) -> int:
    """The periodic sweep: open sessions past their expiry send checkout.session.expired."""
    async with ctx.db.sessionmaker() as db:
        due = list(
            await db.scalars(
                select(LocalCheckoutSession.session_id)
                .where(
                    LocalCheckoutSession.status == LocalSessionStatus.OPEN,
                    LocalCheckoutSession.expires_at <= (now or utcnow()),
                )
                .limit(500)
            )
        )
    return sum([await expire_session(ctx, session_id) for session_id in due])


async def attempt_payment(ctx: AppContext, session_id: str, email: str, form: CardForm) -> AttemptResult:
    """One press of the Pay button. Declines leave the session open, as Stripe Checkout does."""
    session = await load_session(ctx, session_id)
    if session is None or session.status != LocalSessionStatus.OPEN:
        return AttemptResult(Attempt.COMPLETED, redirect_url=session.success_url if session else None)
    errors: dict[str, str] = {}
    try:
        customer_email = normalize_email(email)
    except ValueError:
        errors["email"] = "Enter a valid email address; the receipt goes there."
    now = datetime.now(UTC)
    card, card_errors = check_card(form, now)
    errors.update(card_errors)
    if errors or card is None:
        return AttemptResult(Attempt.INVALID, errors=errors)

    if card.outcome == CardOutcome.DECLINE:
        session = await _note_email(ctx, session_id, customer_email)
        await emit(ctx, stripe_event("payment_intent.payment_failed", intent_object(session, card)))
        return AttemptResult(Attempt.DECLINED, message=card.message)

    paid_now = card.outcome == CardOutcome.SUCCEED
    async with ctx.db.session() as db:
        result = await db.execute(
            update(LocalCheckoutSession)
            .where(
                LocalCheckoutSession.session_id == session_id, LocalCheckoutSession.status == LocalSessionStatus.OPEN
            )
            .values(
                status=LocalSessionStatus.COMPLETE,
                payment_status="paid" if paid_now else "unpaid",
                charge_id=f"ch_local_{new_id()}" if paid_now else None,
                card_brand=card.brand,
                card_last4=digits(form.number)[-4:],
                customer_email=customer_email,
                completed_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        completed = getattr(result, "rowcount", 0) == 1
        session = await db.get(LocalCheckoutSession, session_id, populate_existing=True)
    assert session is not None
    if completed:
        await emit(ctx, stripe_event("checkout.session.completed", session_object(session)))
        if not paid_now:
            from golive.commerce.tasks import schedule_local_settlement

            schedule_local_settlement(session_id, card.outcome == CardOutcome.ASYNC_SUCCEED, ctx.settings)
    return AttemptResult(Attempt.COMPLETED, redirect_url=session.success_url)


async def _note_email(ctx: AppContext, session_id: str, email: str) -> LocalCheckoutSession:
    """A declined attempt still tells who tried: Stripe keeps the typed address on the open session (its
    later events, expiry included, carry it in customer_details)."""
    async with ctx.db.session() as db:
        await db.execute(
            update(LocalCheckoutSession)
            .where(LocalCheckoutSession.session_id == session_id)
            .values(customer_email=email)
            .execution_options(synchronize_session=False)
        )
        session = await db.get(LocalCheckoutSession, session_id, populate_existing=True)
    assert session is not None
    return session


async def settle_async_payment(ctx: AppContext, session_id: str, succeed: bool) -> bool:
    """The delayed end of an asynchronous test card; runs once however often the job is retried."""
    async with ctx.db.session() as db:
        values: dict[str, object] = {"payment_status": "paid" if succeed else ASYNC_FAILED}
        if succeed:
            values["charge_id"] = f"ch_local_{new_id()}"
        result = await db.execute(
            update(LocalCheckoutSession)
            .where(
                LocalCheckoutSession.session_id == session_id,
                LocalCheckoutSession.status == LocalSessionStatus.COMPLETE,
                LocalCheckoutSession.payment_status == "unpaid",
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        settled = getattr(result, "rowcount", 0) == 1
        session = await db.get(LocalCheckoutSession, session_id, populate_existing=True)
    if not settled or session is None:
        return False
    if succeed:
        await emit(ctx, stripe_event("checkout.session.async_payment_succeeded", session_object(session)))
    else:
        card = TEST_CARDS["4000000000000093"]
        await emit(ctx, stripe_event("payment_intent.payment_failed", intent_object(session, card)))
        await emit(
            ctx, stripe_event("checkout.session.async_payment_failed", session_object(session, payment_status="unpaid"))
        )
    return True


async def receipt_for(ctx: AppContext, charge_id: str) -> LocalCheckoutSession | None:
    async with ctx.db.sessionmaker() as db:
        return await db.scalar(select(LocalCheckoutSession).where(LocalCheckoutSession.charge_id == charge_id))
