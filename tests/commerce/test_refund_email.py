"""A refund tells the viewer by email, through a real SMTP server: how much came back, and whether they
keep their access (a partial refund) or not (a full one)."""

from __future__ import annotations

import httpx
import pytest

from golive.platform.context import AppContext
from tests.commerce.support import CARD, only_payment, paid_viewer, refund
from tests.email.conftest import settings, smtp
from tests.email.smtp_sink import Received, SmtpSink
from tests.support import AdminLogin, Factory, assert_error

__all__ = ["settings", "smtp"]  # the fixtures that send this module's mail through a real SMTP server

pytestmark = pytest.mark.usefixtures("loopback")


def refund_emails(smtp: SmtpSink) -> list[Received]:
    return [m for m in smtp.received if CARD["email"] in m.recipients and "refund" in m.message["Subject"].lower()]


async def test_a_partial_then_a_full_refund_each_email_the_viewer_the_amount(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    bought = await paid_viewer(factory, owner, client, title="Piano <masterclass>")
    payment_id = (await only_payment(app_ctx, bought["viewerId"])).payment_id
    assert refund_emails(smtp) == []  # the receipt is not a refund notice

    assert (await refund(client, owner, payment_id, amount=500)).status_code == 200
    [partial] = refund_emails(smtp)
    assert partial.message["Subject"] == "Your refund for Piano <masterclass>"
    assert 'We refunded 5.00 USD of your payment for "Piano <masterclass>"' in partial.text
    assert "Refunded in total:  5.00 USD of 12.00 USD" in partial.text
    assert "You keep your access" in partial.text and f"/e/{bought['event']['eventId']}" in partial.text
    assert payment_id in partial.text
    assert "Piano &lt;masterclass&gt;" in partial.html and "<masterclass>" not in partial.html

    assert_error(await refund(client, owner, payment_id, amount=701), 422, "refund_exceeds_remaining")
    assert len(refund_emails(smtp)) == 1  # a refused refund tells nobody anything

    assert (await refund(client, owner, payment_id)).status_code == 200
    full = refund_emails(smtp)[-1]
    assert len(refund_emails(smtp)) == 2
    assert "has been refunded in full" in full.text
    assert "Refunded now:       7.00 USD" in full.text and "12.00 USD of 12.00 USD" in full.text
    assert "Your access to the event has ended" in full.text

    logged = await client.get("/api/emails", params={"type": "refund_notice"}, headers=owner.headers)
    assert [item["status"] for item in logged.json()["items"]] == ["sent", "sent"]
    assert {item["eventId"] for item in logged.json()["items"]} == {bought["event"]["eventId"]}
