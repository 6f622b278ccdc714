"""A full refund reaches every device the payment opened, at once: the payer's and one that proved the payer's
email with the emailed code. Each device's very next playback, telemetry post and live-stats subscription is
refused with the reason "revoked"."""

from __future__ import annotations

import httpx
import pytest

from golive.platform.context import AppContext
from tests.commerce.support import CARD, only_payment, paid_viewer, refund
from tests.commerce.test_purchase_reentry import restore
from tests.engagement.analytics.conftest import heartbeat
from tests.support import AdminLogin, Factory, assert_error, new_client_viewer_id

pytestmark = pytest.mark.usefixtures("loopback")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_refund_stops_the_second_device_on_its_very_next_request(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    bought = await paid_viewer(factory, owner, client)  # device A pays
    event_id = bought["event"]["eventId"]
    phone = new_client_viewer_id()
    await factory.register(event_id, phone)  # device B passes the open gate
    b = await restore(factory, event_id, phone, CARD["email"])  # ... and proves the payer's email
    assert b["requiresPayment"] is False and b["token"]
    opened = await client.post("/api/playback/sessions", json={"eventId": event_id}, headers=bearer(b["token"]))
    assert opened.status_code == 201, opened.text  # B plays
    session_id = opened.json()["sessionId"]
    events = {"events": [heartbeat(1.0, 1.0)]}
    sent = await client.post(f"/api/playback/sessions/{session_id}/events", json=events, headers=bearer(b["token"]))
    assert sent.status_code == 202, sent.text

    payment = await only_payment(app_ctx, bought["viewerId"])
    assert (await refund(client, owner, payment.payment_id)).status_code == 200

    for token in (b["token"], bought["token"]):  # B, and A too
        played = await client.get(f"/api/events/{event_id}/playback", headers=bearer(token))
        assert_error(played, 403, "not_admitted")
        assert played.json()["error"]["details"]["reason"] == "revoked"
        assert "refund" in played.json()["error"]["message"]
        stats = await client.get(f"/api/events/{event_id}/live-stats", headers=bearer(token))
        assert_error(stats, 403, "not_admitted")
        assert stats.json()["error"]["details"]["reason"] == "revoked"
    refused = await client.post(f"/api/playback/sessions/{session_id}/events", json=events, headers=bearer(b["token"]))
    assert_error(refused, 403, "not_admitted")
    assert refused.json()["error"]["details"]["reason"] == "revoked"
    again = await client.post("/api/playback/sessions", json={"eventId": event_id}, headers=bearer(b["token"]))
    assert_error(again, 403, "not_admitted")
    # the admission answer says so too: B is back on the paywall
    back = (await factory.register(event_id, phone)).json()
    assert back["accessVerified"] is True and back["requiresPayment"] is True
