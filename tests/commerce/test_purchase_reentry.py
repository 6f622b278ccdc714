"""A payer comes back on a new device with the email they paid with and a code sent to it, whatever the
event's gate: anonymous and password events have no email of their own, so the checkout's is the key."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from golive.email.models import EmailMessage
from golive.platform.context import AppContext
from tests.commerce.support import CARD, only_payment, paid_viewer, payments_of, refund, viewer
from tests.support import AdminLogin, Factory, assert_error, code_in, new_client_viewer_id

pytestmark = pytest.mark.usefixtures("loopback")

PAYER = CARD["email"]  # what the checkout collected


async def restore(factory: Factory, event_id: str, device: str, email: str = PAYER) -> dict[str, Any]:
    """Asks for a code on `device`, reads it from the payer's mailbox, and sends it back."""
    asked = await factory.register(event_id, device, email=email)
    assert asked.status_code == 200, asked.text
    assert asked.json()["codeSent"] is True
    code = code_in((await factory.last_email(email)).body_text)
    admitted = await factory.register(event_id, device, email=email, code=code)
    assert admitted.status_code == 200, admitted.text
    answer: dict[str, Any] = admitted.json()
    return answer


async def emails_to(ctx: AppContext, address: str) -> int:
    async with ctx.db.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(EmailMessage).where(EmailMessage.recipient_email == address)
        )
    return int(count or 0)


async def playback_status(client: httpx.AsyncClient, event_id: str, token: str) -> int:
    response = await client.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


@pytest.mark.parametrize("gate", ["anonymous", "password"])
async def test_a_payer_restores_access_on_a_new_device_with_the_email_they_paid_with(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, gate: str
) -> None:
    if gate == "password":
        bought = await paid_viewer(
            factory, owner, client, {"password": "open sesame"}, accessType=gate, accessPassword="open sesame"
        )
    else:
        bought = await paid_viewer(factory, owner, client, accessType=gate)
    event_id = bought["event"]["eventId"]
    assert (await viewer(app_ctx, bought["viewerId"])).email == PAYER  # the checkout's email, kept on the payer
    receipt = await factory.last_email(PAYER)
    assert receipt.email_type == "payment_receipt" and "sign-in code" in receipt.body_text

    phone = new_client_viewer_id()
    if gate == "anonymous":  # the phone passes the open gate first and lands on the paywall
        paywall = (await factory.register(event_id, phone)).json()
        assert paywall["requiresPayment"] is True and paywall["checkoutUrl"] is None  # nobody pressed "Pay"
        asked = (await factory.register(event_id, phone, email=PAYER)).json()
        assert asked["codeSent"] is True and asked["checkoutUrl"] is None and asked["requiresPayment"] is True
    admitted = await restore(factory, event_id, phone)

    assert admitted["viewerId"] != bought["viewerId"] and admitted["accessVerified"] is True
    assert admitted["isPaidViewer"] is True and admitted["requiresPayment"] is False
    # no second charge, and no checkout the phone never asked for
    assert await payments_of(app_ctx, admitted["viewerId"]) == []
    assert await playback_status(client, event_id, admitted["token"]) != 403  # (409 here: no video yet)
    # the phone is now a returning viewer: the plain re-entry check lets it in
    back = (await factory.register(event_id, phone)).json()
    assert back["token"] and back["requiresPayment"] is False

    # a full refund closes the event on both devices
    payment = await only_payment(app_ctx, bought["viewerId"])
    assert (await refund(client, owner, payment.payment_id)).status_code == 200
    assert (await viewer(app_ctx, admitted["viewerId"])).is_paid_viewer is False


async def test_an_email_that_paid_nothing_gets_no_code_and_the_answer_does_not_say_so(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    bought = await paid_viewer(factory, owner, client, accessType="anonymous")
    event_id = bought["event"]["eventId"]
    device = new_client_viewer_id()

    asked = await factory.register(event_id, device, email="grace@example.com")

    assert asked.status_code == 200 and asked.json()["codeSent"] is True  # same answer as for a payer
    assert await emails_to(app_ctx, "grace@example.com") == 0  # but nothing was sent
    refused = assert_error(
        await factory.register(event_id, device, email="grace@example.com", code="123456"), 403, "invalid_code"
    )
    # at the payer's address (a real code went out) a wrong guess reads exactly the same: nothing tells them apart
    await factory.register(event_id, device, email=PAYER)
    real = code_in((await factory.last_email(PAYER)).body_text)
    guess = "000000" if real != "000000" else "111111"
    at_payer = assert_error(await factory.register(event_id, device, email=PAYER, code=guess), 403, "invalid_code")
    assert at_payer["message"] == refused["message"] and at_payer["details"] == refused["details"]


async def test_a_free_anonymous_event_takes_no_email(factory: Factory, owner: AdminLogin) -> None:
    # (a free password event takes one since complimentary access: an invited address proves itself there;
    # tests/access/test_complimentary.py)
    event = await factory.open_event(owner, accessType="anonymous")
    response = await factory.register(event["eventId"], email=PAYER)
    error = assert_error(response, 422, "validation_error")
    assert "email" in error["details"]["fields"]
