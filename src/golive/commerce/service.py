"""Payments: the checkout of a paid event, the provider's webhooks, refunds, and the admins' reports.

A payment moves created -> pending -> succeeded / failed -> refunded, and only a provider's signed
webhook moves it to succeeded: that is what makes a viewer a paying one (seed 000 section 5.1).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, func
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.access import payment_posture
from golive.access.models import PaymentStatus
from golive.audit.actor import Actor
from golive.commerce import hooks, ledger, registry, sales, webhooks
from golive.commerce.ledger import PaymentFilter, PaymentView, RevenueLine
from golive.commerce.models import LedgerStatus, Payment, Refund, RefundStatus
from golive.commerce.money import format_amount
from golive.commerce.providers.base import ChargeDetails, PaymentProvider, ProviderError
from golive.commerce.receipts import send_refund_notice
from golive.commerce.webhooks import ChangeKind, PaymentChange
from golive.email import service as email_service
from golive.email.models import EmailStatus
from golive.email.templates import payment_receipt_email
from golive.events import service as events_service
from golive.platform.context import AppContext
from golive.platform.csv_export import stream_csv
from golive.platform.db import utcnow
from golive.platform.errors import BadRequest, Conflict, NotFound, ServiceUnavailable, ValidationFailed

log = logging.getLogger("golive.commerce")

RECEIPT_EMAIL = "payment_receipt"
# A receipt still unsent this long after its payment was confirmed is taken as lost and sent by the sweep;
# older than the horizon, it is not sent at all (a receipt a day late confuses more than it helps).
RECEIPT_GRACE = timedelta(minutes=2)
RECEIPT_SWEEP_HORIZON = timedelta(days=1)
BEFORE_SUCCESS = (LedgerStatus.CREATED, LedgerStatus.PENDING)
# a payment the sweep closed as abandoned still succeeds if the provider says it was paid after all
SUCCEEDABLE = (LedgerStatus.CREATED, LedgerStatus.PENDING, LedgerStatus.FAILED, LedgerStatus.EXPIRED)


# --- webhooks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookReceipt:
    event_id: str
    event_type: str
    outcome: str  # applied, unchanged, duplicate, ignored (a type we do not act on), unmatched (not our payment)
    payment_id: str | None = None


@dataclass(frozen=True)
class Effect:
    moved: bool
    succeeded: bool = False


async def receive_webhook(ctx: AppContext, provider_name: str, payload: bytes, signature: str | None) -> WebhookReceipt:
    """Verifies, records the event id, and applies what it says in one transaction; a replay changes nothing."""
    provider = registry.provider_named(ctx, provider_name)
    secret = provider.webhook_secret()
    if not secret:
        raise NotFound(
            "Webhooks of this provider are not configured (GOLIVE_STRIPE_WEBHOOK_SECRET)",
            code="provider_not_configured",
            details={"provider": provider.name},
        )
    try:
        event = webhooks.verify_event(payload, signature, secret, ctx.settings.webhook_tolerance_seconds)
    except BadRequest as refused:
        log.warning("webhook from %s refused: %s (%s)", provider.name, refused.message, refused.code)
        raise
    change = event.change
    async with ctx.db.sessionmaker() as session:
        payment = None
        if change is not None:
            payment = await ledger.find_payment(
                session,
                provider.name,
                payment_id=change.payment_id,
                session_id=change.session_id,
                payment_intent_id=change.payment_intent_id,
            )
        paid_id = payment.payment_id if payment is not None else None
        if not await ledger.claim_provider_event(session, provider.name, event.event_id, event.event_type, paid_id):
            await session.rollback()
            return WebhookReceipt(event.event_id, event.event_type, "duplicate")
        if change is None or payment is None:
            await session.commit()
            if change is not None:
                log.info("webhook %s %s names no payment of ours", event.event_type, event.event_id)
            return WebhookReceipt(event.event_id, event.event_type, "ignored" if change is None else "unmatched")
        effect = await _apply_change(session, payment, change)
        await session.commit()
    if effect.succeeded:
        await _after_success(ctx, provider, payment.payment_id)
    return WebhookReceipt(
        event.event_id, event.event_type, "applied" if effect.moved else "unchanged", payment.payment_id
    )


async def _apply_change(session: AsyncSession, payment: Payment, change: PaymentChange) -> Effect:
    """In the webhook's transaction. Facts the event brings (the provider's ids, the payer's email) ride
    on the status move, or are noted on their own when the status does not move."""
    facts: dict[str, object] = {}
    if change.payment_intent_id and payment.provider_payment_intent_id is None:
        facts["provider_payment_intent_id"] = change.payment_intent_id
    if change.customer_id and payment.provider_customer_id is None:
        facts["provider_customer_id"] = change.customer_id
    # the address the payer typed at the provider's checkout is the payer's, whatever the gate was given
    if change.customer_email and change.customer_email != payment.customer_email:
        facts["customer_email"] = change.customer_email
    pay_id = payment.payment_id
    now = utcnow()
    # a failure that ends the checkout session closes it for reuse (a declined card leaves it open)
    checkout_over = {"checkout_completed_at": func.coalesce(Payment.checkout_completed_at, now)}

    async def move(
        to: LedgerStatus, allowed: tuple[LedgerStatus, ...], *conditions: ColumnElement[bool], **values: object
    ) -> bool:
        moved = await ledger.move(session, pay_id, to, allowed, conditions=conditions, **facts, **values)
        if moved:
            log.info("payment %s: %s -> %s (%s)", pay_id, payment.status.value, to.value, change.kind.value)
        elif facts:
            await ledger.note(session, pay_id, **facts)
        return moved

    match change.kind:
        case ChangeKind.CHECKOUT_PAID | ChangeKind.ASYNC_SUCCEEDED:
            mismatch = _amount_mismatch(payment, change)
            if mismatch is not None:
                log.error("payment %s: %s; access not granted", pay_id, mismatch)
                failed = await move(LedgerStatus.FAILED, BEFORE_SUCCESS, failure_reason=mismatch, **checkout_over)
                await sales.release_units(session, pay_id)
                return Effect(failed)
            moved = await move(
                LedgerStatus.SUCCEEDED,
                SUCCEEDABLE,
                confirmed_at=now,
                failure_reason=None,
                checkout_completed_at=func.coalesce(Payment.checkout_completed_at, now),
            )
            if moved:
                await sales.keep_unit(session, pay_id)
                payer_email = change.customer_email or payment.customer_email
                await hooks.payment_succeeded.call(session, payment.event_id, payment.viewer_id, pay_id, payer_email)
            return Effect(moved, succeeded=moved)
        case ChangeKind.CHECKOUT_PROCESSING:
            moved = await move(
                LedgerStatus.PENDING, BEFORE_SUCCESS, Payment.checkout_completed_at.is_(None), checkout_completed_at=now
            )
            if moved:
                await payment_posture.record_payment_outcome(session, payment.viewer_id, PaymentStatus.PENDING, pay_id)
            return Effect(moved)
        case ChangeKind.PAYMENT_FAILED:
            ended = checkout_over if change.ends_checkout else {}
            moved = await move(LedgerStatus.FAILED, BEFORE_SUCCESS, failure_reason=change.failure_reason, **ended)
            if moved:
                await payment_posture.record_payment_outcome(session, payment.viewer_id, PaymentStatus.FAILED, pay_id)
                await sales.release_units(session, pay_id)  # only when the failure ended the checkout
            return Effect(moved)
        case ChangeKind.CHECKOUT_EXPIRED:
            expired = "The checkout expired before it was paid"
            moved = await move(
                LedgerStatus.EXPIRED,
                BEFORE_SUCCESS,
                Payment.checkout_completed_at.is_(None),
                failure_reason=expired,
                checkout_expires_at=now,
            )
            if not moved:  # a declined card left it failed with its checkout open: the end gives the unit back
                await ledger.move(
                    session,
                    pay_id,
                    LedgerStatus.FAILED,
                    (LedgerStatus.FAILED,),
                    conditions=[Payment.checkout_completed_at.is_(None)],
                    checkout_expires_at=now,
                )
            await sales.release_units(session, pay_id)
            return Effect(moved)
        case ChangeKind.REFUNDED:
            total = min(change.amount_refunded or 0, payment.amount)
            if total >= payment.amount:
                moved = await move(LedgerStatus.REFUNDED, (*SUCCEEDABLE, LedgerStatus.SUCCEEDED), refunded_amount=total)
                if moved:
                    await _revoke_access(session, payment)
                return Effect(moved)
            if facts:
                await ledger.note(session, pay_id, **facts)
            return Effect(await ledger.raise_refunded_total(session, pay_id, total))
    return Effect(False)


def _amount_mismatch(payment: Payment, change: PaymentChange) -> str | None:
    """A paid session for less than the price (or another currency) must not open the event."""
    if change.currency is not None and change.currency.upper() != payment.currency.upper():
        return f"The provider reported a payment in {change.currency.upper()}, the price is in {payment.currency}"
    if change.amount is not None and change.amount < payment.amount:
        return f"The provider reported {change.amount}, the price is {payment.amount} (minor units)"
    return None


async def _revoke_access(session: AsyncSession, payment: Payment) -> None:
    """Every device the payment opened loses it at once, in the refund's unit of work (flows/on_payment)."""
    await hooks.payment_refunded.call(session, payment.event_id, payment.payment_id)


async def _after_success(ctx: AppContext, provider: PaymentProvider, payment_id: str) -> None:
    """Once per payment (only the transition's winner gets here): the charge's receipt URL and method,
    then the receipt. Never fails the webhook: the payment itself is already recorded."""
    try:
        await send_receipt(ctx, provider, payment_id)
    except Exception:
        log.exception("payment %s succeeded, but its receipt could not be completed", payment_id)


async def send_receipt(ctx: AppContext, provider: PaymentProvider, payment_id: str) -> bool:
    """Claims the payment's receipt, completes the charge facts and emails it; True when it went out.

    The claim is given back (for the sweep, `send_lost_receipts`) when the receipt could not be written or
    the relay refused it, never once the relay may have taken it: a receipt goes out at most once."""
    async with ctx.db.session() as session:
        if not await ledger.claim_receipt(session, payment_id):
            return False  # sent already, or being sent
    try:
        outgoing = await _receipt_email(ctx, provider, payment_id)
    except Exception:
        await _release_receipt(ctx, payment_id)
        raise
    if outgoing is None:
        return False  # nobody to send it to: the provider's own receipt (receiptUrl) is all there is
    message = await email_service.send_email(ctx, outgoing)
    if message.status == EmailStatus.FAILED:
        await _release_receipt(ctx, payment_id)
        return False
    return True


async def _release_receipt(ctx: AppContext, payment_id: str) -> None:
    async with ctx.db.session() as session:
        await ledger.release_receipt(session, payment_id)


async def _receipt_email(
    ctx: AppContext, provider: PaymentProvider, payment_id: str
) -> email_service.OutgoingEmail | None:
    """The receipt to send (None without an address), with the charge's receipt URL and method noted."""
    async with ctx.db.sessionmaker() as session:
        view = await ledger.receipt_facts(session, payment_id)
    if view is None or not view.viewer_email:
        return None
    payment = view.payment
    details = ChargeDetails(receipt_url=payment.receipt_url, payment_method=payment.payment_method)
    if payment.provider_payment_intent_id and not payment.receipt_url:
        try:
            details = await provider.charge_details(payment.provider_payment_intent_id)
        except ProviderError as exc:
            log.warning("payment %s: no charge details from %s: %s", payment_id, provider.name, exc.message)
        if details.receipt_url or details.payment_method:
            async with ctx.db.session() as session:
                await ledger.note(
                    session, payment_id, receipt_url=details.receipt_url, payment_method=details.payment_method
                )
    page = f"{ctx.settings.base_url}/e/{payment.event_id}"
    content = payment_receipt_email(
        title=view.event_title,
        amount=format_amount(payment.amount, payment.currency),
        method=details.payment_method or "card",
        date=(payment.confirmed_at or utcnow()).strftime("%Y-%m-%d %H:%M UTC"),
        payment_id=payment.payment_id,
        link=page,
        receipt_url=details.receipt_url or page,
        reentry=(
            "To watch on another device, open the event and ask for a sign-in code "
            "with this email address; you will not pay again."
        ),
    )
    return email_service.OutgoingEmail(
        to=view.viewer_email,
        email_type=RECEIPT_EMAIL,
        content=content,
        event_id=payment.event_id,
        viewer_id=payment.viewer_id,
    )


async def send_lost_receipts(ctx: AppContext) -> int:
    """The sweep job: receipts of payments confirmed RECEIPT_GRACE ago or more (and within a day) that
    never went out. Returns how many were sent."""
    now = utcnow()
    async with ctx.db.sessionmaker() as session:
        due = await ledger.receipts_due(session, now - RECEIPT_SWEEP_HORIZON, now - RECEIPT_GRACE)
    sent = 0
    for payment_id in due:
        async with ctx.db.sessionmaker() as session:
            payment = await ledger.get_payment(session, payment_id)
        if payment is None:
            continue
        try:
            if await send_receipt(ctx, registry.provider_named(ctx, payment.provider), payment_id):
                sent += 1
        except Exception:
            log.exception("the receipt of payment %s could not be sent; the next sweep tries again", payment_id)
    return sent


# --- refunds -----------------------------------------------------------------------------------------


async def refund_payment(
    ctx: AppContext, payment_id: str, amount: int | None, reason: str | None, actor: Actor
) -> PaymentView:
    """Full (amount omitted: all that remains) or partial. The amount is counted before the provider is
    asked, so concurrent refunds never exceed the payment; a refusal gives it back."""
    async with ctx.db.sessionmaker() as session:
        payment = await ledger.get_payment(session, payment_id)
        if payment is None:
            raise NotFound("No such payment", code="payment_not_found", details={"paymentId": payment_id})
        remaining = payment.amount - payment.refunded_amount
        if payment.status == LedgerStatus.REFUNDED or (payment.status == LedgerStatus.SUCCEEDED and remaining <= 0):
            raise Conflict("This payment has already been refunded in full", code="payment_already_refunded")
        if payment.status != LedgerStatus.SUCCEEDED or not payment.provider_payment_intent_id:
            raise Conflict(
                f"Only a succeeded payment can be refunded; this one is {payment.status.value}",
                code="payment_not_refundable",
                details={"status": payment.status.value},
            )
        asked = remaining if amount is None else amount
        if asked > remaining:
            left = format_amount(remaining, payment.currency)
            raise ValidationFailed(
                "The refund is larger than what remains of the payment",
                fields={"amount": f"at most {remaining} ({left}) remains to refund"},
                code="refund_exceeds_remaining",
            )
        provider = registry.provider_named(ctx, payment.provider)
        if not await ledger.reserve_refund(session, payment_id, asked):
            await session.rollback()
            raise Conflict("The payment changed meanwhile (another refund?); reload and retry", code="refund_conflict")
        refund = Refund(
            payment_id=payment_id,
            amount=asked,
            currency=payment.currency,
            reason=reason,
            status=RefundStatus.PENDING,
            requested_by=actor.id,
        )
        session.add(refund)
        await session.flush()
        audit.record(
            session,
            actor_type=actor.kind,
            actor_id=actor.id,
            action="payment.refund",
            entity_type="payment",
            entity_id=payment_id,
            before={"refundedAmount": payment.refunded_amount, "status": payment.status.value},
            after={"refundedAmount": payment.refunded_amount + asked, "refundId": refund.refund_id, "reason": reason},
            ip_address=actor.ip,
        )
        await session.commit()
        intent = payment.provider_payment_intent_id

    refusal: ProviderError | None = None
    try:
        result = await provider.refund(
            payment_intent_id=intent, amount=asked, refund_id=refund.refund_id, payment_id=payment_id, reason=reason
        )
        if result.status in ("failed", "canceled"):
            refusal = ProviderError(f"the refund {result.refund_id} {result.status}", code=f"refund_{result.status}")
    except ProviderError as exc:
        refusal = exc
    async with ctx.db.session() as session:
        if refusal is not None:
            await ledger.release_refund(session, payment_id, asked)
            await ledger.finish_refund(session, refund.refund_id, RefundStatus.FAILED, None, refusal.message[:1000])
        else:
            status = RefundStatus.SUCCEEDED if result.status == "succeeded" else RefundStatus.PENDING
            await ledger.finish_refund(session, refund.refund_id, status, result.refund_id, None)
            full = await ledger.move(
                session,
                payment_id,
                LedgerStatus.REFUNDED,
                (LedgerStatus.SUCCEEDED,),
                conditions=[Payment.refunded_amount >= Payment.amount],
            )
            if full:
                await _revoke_access(session, payment)
    if refusal is not None:
        log.warning("refund of %s refused by %s: %s", payment_id, provider.name, refusal.message)
        if refusal.retryable:
            raise ServiceUnavailable(
                "The payment provider could not be reached; nothing was refunded. Try again.",
                code="refund_unavailable",
            )
        raise Conflict(
            f"The payment provider refused the refund: {refusal.message}",
            code="refund_refused",
            details={"providerCode": refusal.code},
        )
    log.info(
        "payment %s: refunded %s (refund %s)", payment_id, format_amount(asked, payment.currency), refund.refund_id
    )
    await send_refund_notice(ctx, payment_id, asked)
    return await get_payment(ctx, payment_id)


# --- reports -----------------------------------------------------------------------------------------


async def get_payment(ctx: AppContext, payment_id: str) -> PaymentView:
    async with ctx.db.sessionmaker() as session:
        view = await ledger.get_payment_view(session, payment_id)
    if view is None:
        raise NotFound("No such payment", code="payment_not_found", details={"paymentId": payment_id})
    return view


async def list_payments(session: AsyncSession, filters: PaymentFilter) -> tuple[list[PaymentView], int]:
    return await ledger.list_payments(session, filters)


async def revenue(session: AsyncSession, event_id: str | None) -> list[RevenueLine]:
    if event_id is not None:
        await events_service.get_event(session, event_id)
    return await ledger.revenue(session, event_id)


CSV_COLUMNS = (
    "paymentId",
    "eventId",
    "eventTitle",
    "viewerId",
    "viewerEmail",
    "provider",
    "amount",
    "refundedAmount",
    "currency",
    "status",
    "paymentMethod",
    "receiptUrl",
    "failureReason",
    "initiatedAt",
    "confirmedAt",
    "updatedAt",
)


def csv_values(view: PaymentView) -> list[object]:
    p = view.payment
    return [
        p.payment_id,
        p.event_id,
        view.event_title,
        p.viewer_id,
        view.viewer_email,
        p.provider,
        p.amount,
        p.refunded_amount,
        p.currency,
        p.status,
        p.payment_method,
        p.receipt_url,
        p.failure_reason,
        p.initiated_at,
        p.confirmed_at,
        p.updated_at,
    ]


def payments_csv(ctx: AppContext, filters: PaymentFilter) -> AsyncIterator[str]:
    """Every matching payment (pagination ignored), newest first, the same columns as the JSON."""

    async def batches() -> AsyncIterator[list[list[object]]]:
        async with ctx.db.sessionmaker() as session:
            async for batch in ledger.iter_payments(session, filters):
                yield [csv_values(view) for view in batch]

    return stream_csv(CSV_COLUMNS, batches())
