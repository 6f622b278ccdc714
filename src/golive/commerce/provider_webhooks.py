"""The providers' webhooks: verified (`webhooks.verify_event`), recorded once, applied to the ledger.

A payment moves created -> pending -> succeeded / failed -> refunded, and only a provider's signed
webhook moves it to succeeded: that is what makes a viewer a paying one (seed 000 section 5.1).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func
from sqlalchemy.ext.asyncio import AsyncSession

from golive.commerce import hooks, ledger, registry, sales, webhooks
from golive.commerce.models import LedgerStatus, Payment
from golive.commerce.providers.base import PaymentProvider
from golive.commerce.receipts import send_receipt
from golive.commerce.refunds import revoke_access
from golive.commerce.webhooks import ChangeKind, PaymentChange
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import BadRequest, NotFound

log = logging.getLogger("golive.commerce")

BEFORE_SUCCESS = (LedgerStatus.CREATED, LedgerStatus.PENDING)
# a payment the sweep closed as abandoned still succeeds if the provider says it was paid after all
SUCCEEDABLE = (LedgerStatus.CREATED, LedgerStatus.PENDING, LedgerStatus.FAILED, LedgerStatus.EXPIRED)


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
            return Effect(moved)
        case ChangeKind.PAYMENT_FAILED:
            ended = checkout_over if change.ends_checkout else {}
            moved = await move(LedgerStatus.FAILED, BEFORE_SUCCESS, failure_reason=change.failure_reason, **ended)
            if moved:
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
                    await revoke_access(session, payment)
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


async def _after_success(ctx: AppContext, provider: PaymentProvider, payment_id: str) -> None:
    """Once per payment (only the transition's winner gets here): the charge's receipt URL and method,
    then the receipt. Never fails the webhook: the payment itself is already recorded."""
    try:
        await send_receipt(ctx, provider, payment_id)
    except Exception:
        log.exception("payment %s succeeded, but its receipt could not be completed", payment_id)
