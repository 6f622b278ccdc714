"""The email a viewer gets when an admin refunds their payment, in full or in part (with the amount)."""

from __future__ import annotations

import logging

from golive.commerce import ledger
from golive.commerce.money import format_amount
from golive.email import service as email_service
from golive.email.templates import refund_email
from golive.platform.context import AppContext
from golive.platform.db import utcnow

log = logging.getLogger("golive.commerce")

REFUND_EMAIL = "refund_notice"


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
            date=utcnow().strftime("%Y-%m-%d %H:%M UTC"),
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
