"""A receipt is sent once per payment, and one that could not go out when the payment landed (the mail
relay down, the process gone) is sent by the sweep job once the relay answers again."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from golive.commerce import receipts
from golive.commerce.models import Payment
from golive.email.models import EmailStatus
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests.commerce.support import CARD, only_payment, paid_viewer
from tests.email.conftest import settings, smtp
from tests.email.smtp_sink import SmtpSink
from tests.live_server import free_port
from tests.support import AdminLogin, Factory

__all__ = ["settings", "smtp"]  # the fixtures that send this module's mail through a real SMTP server

pytestmark = pytest.mark.usefixtures("loopback")


async def confirmed_minutes_ago(ctx: AppContext, payment_id: str, minutes: int) -> None:
    """As if the payment had landed that long ago (the sweep leaves fresh ones to the webhook)."""
    async with ctx.db.session() as session:
        await session.execute(
            update(Payment)
            .where(Payment.payment_id == payment_id)
            .values(confirmed_at=utcnow() - timedelta(minutes=minutes))
        )


def receipts_in(smtp: SmtpSink) -> int:
    return sum(1 for m in smtp.received if CARD["email"] in m.recipients)


async def test_a_receipt_the_relay_refused_is_sent_once_by_the_sweep(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    working_port = app_ctx.settings.smtp_port
    app_ctx.settings.smtp_port = free_port()  # the relay is down when the payment lands
    bought = await paid_viewer(factory, owner, client)

    payment = await only_payment(app_ctx, bought["viewerId"])
    assert payment.status == "succeeded" and payment.receipt_sent_at is None  # paid, receipt still owed
    assert (await factory.last_email(CARD["email"])).status == EmailStatus.FAILED
    assert await receipts.send_lost_receipts(app_ctx) == 0  # too fresh: the sweep waits out its grace

    await confirmed_minutes_ago(app_ctx, payment.payment_id, 5)
    assert await receipts.send_lost_receipts(app_ctx) == 0  # the relay is still down: still owed
    app_ctx.settings.smtp_port = working_port
    sent = await asyncio.gather(*(receipts.send_lost_receipts(app_ctx) for _ in range(3)))

    assert sum(sent) == 1 and receipts_in(smtp) == 1  # three sweeps at once, one receipt
    receipt = smtp.received[-1]
    assert "12.00 USD" in receipt.text and payment.payment_id in receipt.text
    assert (await only_payment(app_ctx, bought["viewerId"])).receipt_sent_at is not None
    assert await receipts.send_lost_receipts(app_ctx) == 0


async def test_a_receipt_sent_when_the_payment_landed_is_never_sent_again(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    bought = await paid_viewer(factory, owner, client)
    payment = await only_payment(app_ctx, bought["viewerId"])
    assert payment.receipt_sent_at is not None and receipts_in(smtp) == 1

    await confirmed_minutes_ago(app_ctx, payment.payment_id, 5)
    assert await receipts.send_lost_receipts(app_ctx) == 0 and receipts_in(smtp) == 1


async def test_a_receipt_older_than_a_day_is_not_sent_late(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    app_ctx.settings.smtp_port = free_port()
    bought = await paid_viewer(factory, owner, client)
    app_ctx.settings.smtp_port = smtp.port
    payment = await only_payment(app_ctx, bought["viewerId"])

    await confirmed_minutes_ago(app_ctx, payment.payment_id, 25 * 60)
    assert await receipts.send_lost_receipts(app_ctx) == 0 and receipts_in(smtp) == 0
