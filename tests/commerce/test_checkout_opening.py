"""When a checkout exists: only once the viewer presses "Pay", one per viewer while it is open, closed when
abandoned, and carrying the email the payer typed at the provider (issue 19, item 6)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import update

from golive.commerce import checkouts
from golive.commerce.local import checkout as local_checkout
from golive.commerce.models import LocalCheckoutSession, Payment
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests.commerce.support import (
    CARD,
    checkout,
    failed_intent,
    only_payment,
    paid_event,
    pay,
    payments_of,
    provider_event,
    send_local,
)
from tests.support import AdminLogin, Factory, assert_error, new_client_viewer_id

pytestmark = pytest.mark.usefixtures("loopback")

DECLINED = {**CARD, "cardNumber": "4000000000000002", "email": "Typed.Payer@Example.com"}


async def ledger(client: httpx.AsyncClient, admin: AdminLogin, event_id: str) -> list[dict[str, object]]:
    response = await client.get("/api/payments", params={"eventId": event_id}, headers=admin.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


async def test_watching_the_paywall_opens_no_checkout_and_leaves_no_ledger_row(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    client_id = new_client_viewer_id()
    for _ in range(4):  # "Watch", reloads, the paywall's "check again"
        answer = (await factory.register(event["eventId"], client_id)).json()
        assert answer["requiresPayment"] is True and answer["checkoutUrl"] is None and answer["token"]
    await factory.register(event["eventId"])  # another visitor who only looks

    assert await ledger(client, owner, event["eventId"]) == []
    assert await payments_of(app_ctx, answer["viewerId"]) == []


async def test_pressing_pay_twice_hands_out_the_same_checkout(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    client_id = new_client_viewer_id()
    admitted = (await factory.register(event["eventId"], client_id)).json()

    first = await pay(factory, event["eventId"], admitted["token"])
    second = await pay(factory, event["eventId"], admitted["token"])

    assert first.status_code == second.status_code == 200, (first.text, second.text)
    assert first.json()["checkoutUrl"] == second.json()["checkoutUrl"]
    assert first.json()["paymentId"] == second.json()["paymentId"]
    payment = await only_payment(app_ctx, admitted["viewerId"])
    assert payment.status == "pending" and payment.payment_id == first.json()["paymentId"]
    # the paywall on a reload names that open checkout, and still opens nothing new
    again = (await factory.register(event["eventId"], client_id)).json()
    assert again["checkoutUrl"] == first.json()["checkoutUrl"]
    assert len(await ledger(client, owner, event["eventId"])) == 1


async def test_a_declined_payment_carries_the_email_typed_on_the_checkout_page(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)  # anonymous gate: the viewer gave no email before paying
    answer = await checkout(factory, event["eventId"])

    declined = await client.post(urlsplit(answer["checkoutUrl"]).path, data=DECLINED)

    assert declined.status_code == 402
    [row] = await ledger(client, owner, event["eventId"])
    assert row["status"] == "failed" and row["viewerEmail"] == "typed.payer@example.com"
    query = {"eventId": event["eventId"], "format": "csv"}
    csv = await client.get("/api/payments", params=query, headers=owner.headers)
    assert "typed.payer@example.com" in csv.text


async def test_an_abandoned_local_checkout_expires_with_the_payers_email(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    answer = await checkout(factory, event["eventId"])
    async with app_ctx.db.session() as session:  # a payer typed an address, then left
        await session.execute(update(LocalCheckoutSession).values(customer_email="left@example.com"))

    # the provider's own expiry (the local provider's sweep posts checkout.session.expired)
    assert await local_checkout.expire_due_sessions(app_ctx, now=utcnow() + timedelta(hours=2)) == 1

    [row] = await ledger(client, owner, event["eventId"])
    assert row["status"] == "expired" and row["viewerEmail"] == "left@example.com"
    fresh = await pay(factory, event["eventId"], answer["token"])
    assert fresh.json()["checkoutUrl"] != answer["checkoutUrl"]


async def test_the_sweep_closes_checkouts_the_provider_never_reported_and_a_late_payment_still_counts(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    lapsed = await checkout(factory, event["eventId"])
    kept = await checkout(factory, event["eventId"])
    never_opened = await checkout(factory, event["eventId"])
    past = utcnow() - timedelta(hours=1)
    async with app_ctx.db.session() as session:
        lapsed_id = (await only_payment(app_ctx, lapsed["viewerId"])).payment_id
        await session.execute(update(Payment).where(Payment.payment_id == lapsed_id).values(checkout_expires_at=past))
        unopened_id = (await only_payment(app_ctx, never_opened["viewerId"])).payment_id
        await session.execute(
            update(Payment).where(Payment.payment_id == unopened_id).values(status="created", initiated_at=past)
        )

    assert await checkouts.expire_abandoned_checkouts(app_ctx) == 2

    statuses = {row["viewerId"]: row["status"] for row in await ledger(client, owner, event["eventId"])}
    assert statuses == {lapsed["viewerId"]: "expired", kept["viewerId"]: "pending", never_opened["viewerId"]: "expired"}
    # the payer had paid at the last second after all: the provider's word wins over the sweep
    paid = await client.post(urlsplit(lapsed["checkoutUrl"]).path, data=CARD)
    assert paid.status_code == 303
    assert (await only_payment(app_ctx, lapsed["viewerId"])).status == "succeeded"


async def test_a_declined_stripe_payment_keeps_the_billing_email(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    answer = await checkout(factory, event["eventId"])
    payment = await only_payment(app_ctx, answer["viewerId"])
    intent = failed_intent(payment)
    intent["last_payment_error"]["payment_method"] = {"billing_details": {"email": "Card.Holder@Example.com"}}

    delivered = await send_local(client, app_ctx, provider_event("payment_intent.payment_failed", intent))
    assert delivered.status_code == 200

    assert (await only_payment(app_ctx, answer["viewerId"])).customer_email == "card.holder@example.com"


async def test_pay_is_refused_without_a_fitting_token_or_once_paid(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    other = await paid_event(factory, owner)
    admitted = (await factory.register(event["eventId"])).json()
    path = f"/api/events/{event['eventId']}/checkout"

    assert_error(await client.post(path), 401, "viewer_token_missing")
    assert_error(await client.post(path, headers={"Authorization": "Bearer forged"}), 401, "viewer_token_invalid")
    assert_error(await pay(factory, other["eventId"], admitted["token"]), 403, "viewer_token_other_event")
    wrong_page = await pay(factory, event["eventId"], admitted["token"], f"/e/{other['eventId']}")
    assert "returnPath" in assert_error(wrong_page, 422, "validation_error")["details"]["fields"]
    assert await payments_of(app_ctx, admitted["viewerId"]) == []

    started = (await pay(factory, event["eventId"], admitted["token"])).json()
    assert (await client.post(urlsplit(started["checkoutUrl"]).path, data=CARD)).status_code == 303
    assert_error(await pay(factory, event["eventId"], admitted["token"]), 409, "already_paid")
