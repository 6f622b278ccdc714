"""The built-in test provider end to end over HTTP: its checkout page takes a test card, its signed
webhooks reach /api/webhooks/local over loopback, and only then may the viewer watch."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from golive.commerce.local import checkout as local_checkout
from golive.commerce.models import LocalCheckoutSession
from golive.platform.context import AppContext
from tests.commerce.support import (
    checkout,
    only_payment,
    paid_event,
    payments_of,
    receipts_to,
    viewer,
)
from tests.media.conftest import make_video_file
from tests.media.uploading import ready_video
from tests.support import AdminLogin, Factory, assert_error, code_in, new_client_viewer_id

pytestmark = pytest.mark.usefixtures("loopback")

GOOD_CARD = {"cardNumber": "4242 4242 4242 4242", "cardExpiry": "12 / 34", "cardCvc": "123", "cardName": "Ada"}


def page_path(checkout_url: str) -> str:
    return urlsplit(checkout_url).path


async def pay(
    client: httpx.AsyncClient, checkout_url: str, email: str = "ada@example.com", **card: str
) -> httpx.Response:
    return await client.post(page_path(checkout_url), data={"email": email, **GOOD_CARD, **card})


async def playback(client: httpx.AsyncClient, event_id: str, token: str) -> httpx.Response:
    return await client.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})


async def test_the_checkout_page_shows_the_price_and_the_test_cards(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner, title="Masterclass")
    answer = await checkout(factory, event["eventId"])

    page = await client.get(page_path(answer["checkoutUrl"]))

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "12.00 USD" in page.text and "Masterclass" in page.text and "4242 4242 4242 4242" in page.text
    assert (await client.get("/pay/local/cs_local_nope")).status_code == 404


async def test_a_returning_viewer_gets_the_same_open_checkout_until_the_price_changes(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    client_id = new_client_viewer_id()

    first = await checkout(factory, event["eventId"], client_id)
    again = await checkout(factory, event["eventId"], client_id)
    assert again["checkoutUrl"] == first["checkoutUrl"]

    changed = await client.put(f"/api/events/{event['eventId']}", json={"priceAmount": 1500}, headers=owner.headers)
    assert changed.status_code == 200
    repriced = await checkout(factory, event["eventId"], client_id)
    assert repriced["checkoutUrl"] != first["checkoutUrl"]
    assert [p.amount for p in await payments_of(app_ctx, first["viewerId"])] == [1200, 1500]
    assert "15.00 USD" in (await client.get(page_path(repriced["checkoutUrl"]))).text


async def test_the_checkout_returns_to_the_embed_when_the_viewer_came_from_it(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    embed = f"/embed/{event['eventId']}"
    answer = await checkout(factory, event["eventId"], returnPath=embed)

    paid = await pay(client, answer["checkoutUrl"])

    assert paid.status_code == 303
    assert paid.headers["location"] == f"{app_ctx.settings.base_url}{embed}?checkout=success"


async def test_a_viewer_who_has_not_paid_gets_neither_the_playlist_nor_a_segment_until_the_payment_lands(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    event = await paid_event(factory, owner)
    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video_file(tmp_path / "clip.mp4"))
    answer = await checkout(factory, event["eventId"])
    token = answer["token"]

    assert_error(await playback(client, event["eventId"], token), 403, "not_admitted")
    segment = f"/media/{media['assetId']}/180p/index.m3u8"
    assert_error(await client.get(segment), 403, "invalid_media_signature")

    assert (await pay(client, answer["checkoutUrl"])).status_code == 303

    allowed = await playback(client, event["eventId"], token)
    assert allowed.status_code == 200, allowed.text
    assert (await client.get(allowed.json()["playbackUrl"])).status_code == 200


async def test_the_success_card_makes_a_paying_viewer_with_a_receipt(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner, title="Deep dive")
    client_id = new_client_viewer_id()
    answer = await checkout(factory, event["eventId"], client_id)

    paid = await pay(client, answer["checkoutUrl"], email="Ada@Example.com")

    assert paid.status_code == 303 and paid.headers["location"].endswith(f"/e/{event['eventId']}?checkout=success")
    payment = await only_payment(app_ctx, answer["viewerId"])
    assert payment.status == "succeeded" and payment.confirmed_at is not None
    assert payment.payment_method == "visa •••• 4242" and payment.customer_email == "ada@example.com"
    assert payment.receipt_url and "/pay/local/receipts/ch_local_" in payment.receipt_url
    row = await viewer(app_ctx, answer["viewerId"])
    assert row.is_paid_viewer is True and row.payment_status == "success"
    receipt = await factory.last_email("ada@example.com")
    assert receipt.email_type == "payment_receipt" and "12.00 USD" in receipt.body_text
    assert payment.payment_id in receipt.body_text and f"/e/{event['eventId']}" in receipt.body_text
    assert (await client.get(urlsplit(payment.receipt_url).path)).status_code == 200

    back = (await factory.register(event["eventId"], client_id)).json()
    assert back["requiresPayment"] is False and back["isPaidViewer"] is True and back["token"]
    # the checkout is done: opening it again says so instead of charging twice
    closed = await client.get(page_path(answer["checkoutUrl"]))
    assert closed.status_code == 200 and 'data-state="complete"' in closed.text


async def test_a_declined_card_fails_the_payment_and_the_same_checkout_takes_another_card(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    client_id = new_client_viewer_id()
    answer = await checkout(factory, event["eventId"], client_id)

    declined = await pay(client, answer["checkoutUrl"], cardNumber="4000 0000 0000 0002")

    assert declined.status_code == 402 and "Your card was declined." in declined.text
    payment = await only_payment(app_ctx, answer["viewerId"])
    assert payment.status == "failed" and payment.failure_reason == "Your card was declined."
    again = (await factory.register(event["eventId"], client_id)).json()
    assert again["paymentStatus"] == "failed" and again["requiresPayment"] is True
    assert again["checkoutUrl"] == answer["checkoutUrl"]

    assert (await pay(client, again["checkoutUrl"])).status_code == 303
    assert (await only_payment(app_ctx, answer["viewerId"])).status == "succeeded"
    assert (await viewer(app_ctx, answer["viewerId"])).payment_status == "success"


@pytest.mark.parametrize(
    ("number", "settles", "status"), [("4000000000000077", True, "succeeded"), ("4000000000000093", False, "failed")]
)
async def test_an_asynchronous_card_is_pending_until_it_settles(
    factory: Factory,
    owner: AdminLogin,
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    number: str,
    settles: bool,
    status: str,
) -> None:
    event = await paid_event(factory, owner)
    answer = await checkout(factory, event["eventId"])

    accepted = await pay(client, answer["checkoutUrl"], cardNumber=number)

    assert accepted.status_code == 303
    assert (await only_payment(app_ctx, answer["viewerId"])).status == "pending"
    assert (await viewer(app_ctx, answer["viewerId"])).payment_status == "pending"
    # what the delayed job does (tests/e2e/test_paid_flow.py runs it through the real worker)
    session_id = (await only_payment(app_ctx, answer["viewerId"])).provider_checkout_session_id
    assert session_id is not None
    assert await local_checkout.settle_async_payment(app_ctx, session_id, settles) is True
    assert await local_checkout.settle_async_payment(app_ctx, session_id, settles) is False  # a retried job

    assert (await only_payment(app_ctx, answer["viewerId"])).status == status
    row = await viewer(app_ctx, answer["viewerId"])
    assert row.is_paid_viewer is settles and row.payment_status == ("success" if settles else "failed")
    assert await receipts_to(app_ctx, "ada@example.com") == (1 if settles else 0)


BAD_FORMS = [
    ({"cardNumber": "4242 4242 4242 4241"}, "number"),
    ({"cardNumber": "4111 1111 1111 1111"}, "number"),  # a real-looking card: refused in test mode
    ({"cardExpiry": "01 / 20"}, "expiry"),
    ({"cardExpiry": "13/30"}, "expiry"),
    ({"cardCvc": "12"}, "cvc"),
    ({"email": "not-an-email"}, "email"),
]


async def test_a_bad_card_form_is_refused_without_charging(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    answer = await checkout(factory, event["eventId"])

    for card, field in BAD_FORMS:
        form: dict[str, Any] = {"email": "ada@example.com", **GOOD_CARD, **card}
        refused = await client.post(page_path(answer["checkoutUrl"]), data=form)
        assert refused.status_code == 422 and f'data-testid="checkout-error-{field}"' in refused.text, card

    assert (await only_payment(app_ctx, answer["viewerId"])).status == "pending"
    assert (await viewer(app_ctx, answer["viewerId"])).payment_status == "none"


async def test_an_expired_checkout_page_says_so_and_the_viewer_gets_a_new_one(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    from sqlalchemy import update

    from golive.platform.db import utcnow

    event = await paid_event(factory, owner)
    client_id = new_client_viewer_id()
    answer = await checkout(factory, event["eventId"], client_id)
    async with app_ctx.db.session() as session:
        await session.execute(update(LocalCheckoutSession).values(expires_at=utcnow()))

    page = await client.get(page_path(answer["checkoutUrl"]))

    assert 'data-state="expired"' in page.text
    assert (await only_payment(app_ctx, answer["viewerId"])).status == "expired"
    fresh = await checkout(factory, event["eventId"], client_id)
    assert fresh["checkoutUrl"] != answer["checkoutUrl"] and len(await payments_of(app_ctx, answer["viewerId"])) == 2


async def test_a_paying_viewer_re_enters_on_a_new_device_with_the_emailed_code_and_does_not_pay_again(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner, accessType="email")
    laptop = new_client_viewer_id()
    await factory.register(event["eventId"], laptop, email="grace@example.com")
    code = code_in((await factory.last_email("grace@example.com")).body_text)
    answer = await checkout(factory, event["eventId"], laptop, email="grace@example.com", code=code)
    await pay(client, answer["checkoutUrl"], email="grace@example.com")
    receipt = await factory.last_email("grace@example.com")
    assert receipt.email_type == "payment_receipt" and "sign-in code" in receipt.body_text

    phone = new_client_viewer_id()
    await factory.register(event["eventId"], phone, email="grace@example.com")
    code = code_in((await factory.last_email("grace@example.com")).body_text)
    admitted = (await factory.register(event["eventId"], phone, email="grace@example.com", code=code)).json()

    assert admitted["viewerId"] != answer["viewerId"]
    assert admitted["isPaidViewer"] is True and admitted["requiresPayment"] is False and admitted["token"]
    assert await payments_of(app_ctx, admitted["viewerId"]) == []


async def test_checkout_pages_are_closed_when_stripe_is_the_provider(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    answer = await checkout(factory, event["eventId"])
    app_ctx.settings.payment_provider = "stripe"
    try:
        assert (await client.get(page_path(answer["checkoutUrl"]))).status_code == 404
        assert (await pay(client, answer["checkoutUrl"])).status_code == 404
    finally:
        app_ctx.settings.payment_provider = "local"
    assert (await only_payment(app_ctx, answer["viewerId"])).status == "pending"
