"""Refunds asked for through the API, in full or in part; a full refund takes away every right the payment made."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.commerce import hooks, ledger, registry
from golive.commerce.ledger import PaymentView
from golive.commerce.models import LedgerStatus, Payment, Refund, RefundStatus
from golive.commerce.money import format_amount
from golive.commerce.providers.base import ProviderError
from golive.commerce.receipts import send_refund_notice
from golive.commerce.reports import get_payment
from golive.platform.context import AppContext
from golive.platform.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed

log = logging.getLogger("golive.commerce")


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
                await revoke_access(session, payment)
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


async def revoke_access(session: AsyncSession, payment: Payment) -> None:
    """Every device the payment opened loses it at once, in the refund's unit of work (flows/on_payment)."""
    await hooks.payment_refunded.call(session, payment.event_id, payment.payment_id)
