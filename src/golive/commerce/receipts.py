"""The emails a payment sends: its receipt (once, right after the success; a sweep sends those an outage held
back) and the notice of a refund, in full or in part (with the amount)."""

from __future__ import annotations

import logging
from datetime import timedelta

from golive.commerce import ledger, registry
from golive.commerce.money import format_amount
from golive.commerce.providers.base import ChargeDetails, PaymentProvider, ProviderError
from golive.email import service as email_service
from golive.email.models import EmailStatus
from golive.email.templates import payment_receipt_email, refund_email
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.site.service import email_time_zone, local_time

log = logging.getLogger("golive.commerce")

RECEIPT_EMAIL = "payment_receipt"
# A receipt still unsent this long after its payment was confirmed is taken as lost and sent by the sweep;
# older than the horizon, it is not sent at all (a receipt a day late confuses more than it helps).
RECEIPT_GRACE = timedelta(minutes=2)
RECEIPT_SWEEP_HORIZON = timedelta(days=1)

REFUND_EMAIL = "refund_notice"

RECEIPT_TIME = "%Y-%m-%d %H:%M"  # in the site's default time zone, named after it


async def send_refund_notice(ctx: AppContext, payment_id: str, refunded_now: int) -> None:
    """After the provider took the refund. Never fails the refund: it happened, whatever the relay says
    (the email log shows a failed notice, and an admin can resend it)."""
    try:
        async with ctx.db.sessionmaker() as session:
            view = await ledger.receipt_facts(session, payment_id)
        if view is None or not view.viewer_email:
            log.info("payment %s refunded: no email address to tell", payment_id)
            return
        payment = view.payment
        currency = payment.currency
        full = payment.refunded_amount >= payment.amount
        content = refund_email(
            title=view.event_title,
            amount=format_amount(refunded_now, currency),
            total=format_amount(payment.refunded_amount, currency),
            paid=format_amount(payment.amount, currency),
            full=full,
            date=local_time(utcnow(), await email_time_zone(ctx), RECEIPT_TIME),
            payment_id=payment_id,
            link=f"{ctx.settings.base_url}/e/{payment.event_id}",
        )
        outgoing = email_service.OutgoingEmail(
            to=view.viewer_email,
            email_type=REFUND_EMAIL,
            content=content,
            event_id=payment.event_id,
            viewer_id=payment.viewer_id,
        )
        await email_service.send_email(ctx, outgoing)
    except Exception:
        log.exception("payment %s was refunded, but the refund notice could not be sent", payment_id)


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
        date=local_time(payment.confirmed_at or utcnow(), await email_time_zone(ctx), RECEIPT_TIME),
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
