"""The Stripe provider, through the real `stripe` library, against a stand-in of Stripe's HTTP API on
loopback: Products and Prices for paid events, Checkout Sessions, refunds, and webhooks signed with the
library's own signing helper."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from golive.audit.actor import Actor
from golive.automation.models import AutomationLog
from golive.commerce import provider_sync
from golive.commerce.offer_models import Offer, Price
from golive.events import service as events_service
from golive.events.schemas import EventUpdate
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.commerce.stripe_standin import API_KEY, StripeStandIn, stripe_standin
from tests.commerce.support import (
    checkout,
    only_payment,
    paid_event,
    pay,
    provider_event,
    refunded_charge,
    signed,
    viewer,
)
from tests.support import AdminLogin, Factory, assert_error, code_in, new_client_viewer_id

WEBHOOK_SECRET = "whsec_standin_" + "s" * 32


@pytest.fixture(scope="module")
def standin() -> Iterator[StripeStandIn]:
    with stripe_standin() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, standin: StripeStandIn) -> Settings:
    standin.failures.clear()
    return settings.model_copy(
        update={
            "payment_provider": "stripe",
            "stripe_secret_key": API_KEY,
            "stripe_webhook_secret": WEBHOOK_SECRET,
            "stripe_api_base": standin.base_url,
        }
    )


async def default_offer(ctx: AppContext, event_id: str) -> tuple[Offer, Price]:
    """The event's default ticket offer and its first price (where the event row's Stripe ids moved)."""
    async with ctx.db.sessionmaker() as session:
        offer = await session.scalar(
            select(Offer)
            .where(Offer.scope_id == event_id, Offer.is_default.is_(True))
            .execution_options(populate_existing=True)
        )
        assert offer is not None
        price = await session.scalar(
            select(Price)
            .where(Price.offer_id == offer.offer_id, Price.archived_at.is_(None))
            .order_by(Price.position)
            .execution_options(populate_existing=True)
        )
    assert price is not None
    return offer, price


async def stripe_ids(ctx: AppContext, event_id: str) -> tuple[str | None, str | None, str | None]:
    offer, price = await default_offer(ctx, event_id)
    return offer.provider_setup_status, offer.provider_product_id, price.provider_price_id


async def automation(ctx: AppContext, event_id: str) -> list[tuple[str, str]]:
    async with ctx.db.sessionmaker() as session:
        rows = await session.scalars(
            select(AutomationLog)
            .where(AutomationLog.event_id == event_id, AutomationLog.trigger_type == "paymentSetup")
            .order_by(AutomationLog.timestamp, AutomationLog.automation_id)
        )
        return [(row.action, row.execution_status) for row in rows]


async def send_stripe(client: httpx.AsyncClient, event: dict[str, object]) -> httpx.Response:
    body, headers = signed(event, WEBHOOK_SECRET)
    return await client.post("/api/webhooks/stripe", content=body, headers=headers)


async def test_a_paid_event_gets_a_product_and_a_price_and_a_new_price_when_its_price_changes(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner, title="Stripe talk")
    assert event["stripeSetupStatus"] == "pending"  # the job is queued; the API does not wait for Stripe

    assert await provider_sync.provision_sale(app_ctx, event["eventId"]) == "created"  # what the job runs

    status, product_id, price_id = await stripe_ids(app_ctx, event["eventId"])
    assert status == "created" and product_id in standin.products and price_id in standin.prices
    assert standin.products[product_id]["name"] == "Stripe talk"
    assert standin.prices[price_id]["unit_amount"] == 1200 and standin.prices[price_id]["currency"] == "usd"
    offer, _ = await default_offer(app_ctx, event["eventId"])
    assert standin.made("/v1/products")[-1].idempotency_key == f"golive-product-{offer.offer_id}"

    changed = await client.put(f"/api/events/{event['eventId']}", json={"priceAmount": 1500}, headers=owner.headers)
    assert changed.status_code == 200 and changed.json()["stripeSetupStatus"] == "pending"
    assert await provider_sync.provision_sale(app_ctx, event["eventId"]) == "created"
    status, same_product, new_price = await stripe_ids(app_ctx, event["eventId"])
    assert same_product == product_id and new_price != price_id and standin.prices[new_price]["unit_amount"] == 1500
    retitled = await client.put(f"/api/events/{event['eventId']}", json={"title": "Renamed"}, headers=owner.headers)
    assert retitled.json()["stripeSetupStatus"] == "created"  # no new Price for a change that is not the price
    assert await provider_sync.rename_sale(app_ctx, event["eventId"]) is True  # what the rename job runs
    assert standin.products[product_id]["name"] == "Renamed"  # what Stripe Checkout shows the payer
    assert len(standin.made("/v1/prices")) == 2
    assert await automation(app_ctx, event["eventId"]) == [
        ("stripe.setup.requested", "pending"),
        ("stripe.setup", "success"),
        ("stripe.setup.requested", "pending"),
        ("stripe.setup", "success"),
        ("stripe.product.rename", "success"),
    ]


async def test_a_checkout_opened_before_the_new_price_exists_charges_the_new_amount(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner)
    await provider_sync.provision_sale(app_ctx, event["eventId"])  # a Stripe Price for 12.00
    async with app_ctx.db.sessionmaker() as session:  # the save alone, before the setup job is even queued
        await events_service.update_event(
            session, event["eventId"], EventUpdate.model_validate({"priceAmount": 1500}), Actor("admin")
        )
    assert (await stripe_ids(app_ctx, event["eventId"]))[2] is None  # the old Price is forgotten in that commit

    await checkout(factory, event["eventId"])

    opened = standin.made("/v1/checkout/sessions")[-1].params["line_items"][0]
    assert "price" not in opened and int(opened["price_data"]["unit_amount"]) == 1500


async def test_a_rename_stripe_refuses_is_logged_and_left_for_the_jobs_retry(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner, title="Before")
    await provider_sync.provision_sale(app_ctx, event["eventId"])
    _, product_id, _ = await stripe_ids(app_ctx, event["eventId"])
    await client.put(f"/api/events/{event['eventId']}", json={"title": "After"}, headers=owner.headers)
    standin.fail(f"/v1/products/{product_id}", status=500, times=3)

    assert await provider_sync.rename_sale(app_ctx, event["eventId"]) is False  # the Huey task raises: retried later
    assert standin.products[product_id]["name"] == "Before"
    assert (await automation(app_ctx, event["eventId"]))[-1] == ("stripe.product.rename", "failed")
    assert await provider_sync.rename_sale(app_ctx, event["eventId"]) is True
    assert standin.products[product_id]["name"] == "After"


async def test_a_failed_setup_is_logged_and_retried_by_the_job(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner)
    standin.fail("/v1/products", status=500, times=3)  # the library retries 5xx twice: three refusals

    assert await provider_sync.provision_sale(app_ctx, event["eventId"]) == "failed"
    assert (await stripe_ids(app_ctx, event["eventId"]))[0] == "failed"

    assert await provider_sync.retry_setups(app_ctx) == [event["eventId"]]
    assert (await stripe_ids(app_ctx, event["eventId"]))[0] == "created"
    log = await automation(app_ctx, event["eventId"])
    assert log == [("stripe.setup.requested", "pending"), ("stripe.setup", "failed"), ("stripe.setup", "success")]


async def test_admission_opens_a_stripe_checkout_and_the_signed_webhook_makes_a_paying_viewer(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner, accessType="email")
    await provider_sync.provision_sale(app_ctx, event["eventId"])
    client_id = new_client_viewer_id()
    await factory.register(event["eventId"], client_id, email="lin@example.com")
    code = code_in((await factory.last_email("lin@example.com")).body_text)
    embed = f"/embed/{event['eventId']}"
    answer = await checkout(factory, event["eventId"], client_id, email="lin@example.com", code=code, returnPath=embed)

    payment = await only_payment(app_ctx, answer["viewerId"])
    session = standin.sessions[payment.provider_checkout_session_id or ""]
    assert answer["checkoutUrl"] == session["url"] and payment.status == "pending" and payment.provider == "stripe"
    assert session["line_items"][0]["price"] == (await stripe_ids(app_ctx, event["eventId"]))[2]
    assert session["metadata"]["paymentId"] == payment.payment_id
    assert session["payment_intent_data"]["metadata"]["paymentId"] == payment.payment_id
    assert session["success_url"] == f"{app_ctx.settings.base_url}{embed}?checkout=success"
    assert session["cancel_url"] == f"{app_ctx.settings.base_url}{embed}?checkout=cancelled"
    assert session["customer_email"] == "lin@example.com"
    assert standin.made("/v1/checkout/sessions")[-1].idempotency_key == f"golive-checkout-{payment.payment_id}"

    completed = standin.pay(session["id"], email="lin@example.com")
    response = await send_stripe(client, provider_event("checkout.session.completed", completed))

    assert response.status_code == 200 and response.json()["outcome"] == "applied", response.text
    paid = await only_payment(app_ctx, answer["viewerId"])
    assert paid.status == "succeeded" and paid.provider_payment_intent_id == completed["payment_intent"]
    assert (
        paid.receipt_url == standin.charge_of(session["id"])["receipt_url"] and paid.payment_method == "visa •••• 4242"
    )
    assert (await viewer(app_ctx, answer["viewerId"])).is_paid_viewer is True
    receipt = await factory.last_email("lin@example.com")
    assert receipt.email_type == "payment_receipt" and paid.receipt_url in receipt.body_text


async def test_a_refund_goes_to_stripe_and_its_charge_refunded_webhook_changes_nothing_more(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner)
    answer = await checkout(factory, event["eventId"])
    payment = await only_payment(app_ctx, answer["viewerId"])
    completed = standin.pay(payment.provider_checkout_session_id or "")
    await send_stripe(client, provider_event("checkout.session.completed", completed))

    response = await client.post(
        f"/api/payments/{payment.payment_id}/refund", json={"reason": "duplicate"}, headers=owner.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "refunded"
    sent = standin.made("/v1/refunds")[-1]
    assert sent.params["payment_intent"] == completed["payment_intent"] and sent.params["amount"] == "1200"
    assert sent.params["metadata"]["paymentId"] == payment.payment_id and sent.idempotency_key
    charge = standin.charge_of(completed["id"])
    assert charge["amount_refunded"] == 1200
    refunded = await only_payment(app_ctx, answer["viewerId"])
    late = await send_stripe(client, provider_event("charge.refunded", refunded_charge(refunded, 1200)))
    assert late.json()["outcome"] == "unchanged"
    assert (await viewer(app_ctx, answer["viewerId"])).is_paid_viewer is False


async def test_when_stripe_refuses_or_is_down_nothing_is_refunded_or_opened(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner)
    answer = await checkout(factory, event["eventId"])
    payment = await only_payment(app_ctx, answer["viewerId"])
    await send_stripe(
        client, provider_event("checkout.session.completed", standin.pay(payment.provider_checkout_session_id or ""))
    )
    url = f"/api/payments/{payment.payment_id}/refund"

    standin.fail("/v1/refunds", status=400, code="charge_disputed")
    assert_error(await client.post(url, headers=owner.headers), 409, "refund_refused")
    standin.fail("/v1/refunds", status=503, times=3)
    assert_error(await client.post(url, headers=owner.headers), 503, "refund_unavailable")
    kept = await only_payment(app_ctx, answer["viewerId"])
    assert kept.status == "succeeded" and kept.refunded_amount == 0
    assert (await viewer(app_ctx, answer["viewerId"])).is_paid_viewer is True

    standin.fail("/v1/checkout/sessions", status=500, times=3)
    browser = new_client_viewer_id()
    admitted = (await factory.register(event["eventId"], browser)).json()
    assert_error(await pay(factory, event["eventId"], admitted["token"]), 503, "checkout_unavailable")
    # a checkout the provider never opened is no attempt of the viewer's: nothing failed on their side
    assert (await factory.register(event["eventId"], browser)).json()["paymentStatus"] == "none"


async def test_stripe_webhooks_need_stripes_signature(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner)
    answer = await checkout(factory, event["eventId"])
    payment = await only_payment(app_ctx, answer["viewerId"])
    completed = standin.pay(payment.provider_checkout_session_id or "")
    body, headers = signed(provider_event("checkout.session.completed", completed), "whsec_" + "n" * 32)

    response = await client.post("/api/webhooks/stripe", content=body, headers=headers)

    assert_error(response, 400, "invalid_signature")
    assert (await only_payment(app_ctx, answer["viewerId"])).status == "pending"


async def test_every_price_of_every_offer_gets_its_own_stripe_price_and_checkout_charges_the_chosen_one(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, standin: StripeStandIn
) -> None:
    event = await paid_event(factory, owner, title="Gala")
    url = f"/api/events/{event['eventId']}/offers"
    [default] = (await client.get(url, headers=owner.headers)).json()["items"]
    standard = default["prices"][0]["priceId"]
    body = {
        "name": "Ticket",
        "prices": [
            {"priceId": standard, "amount": 1200, "currency": "USD"},
            {"name": "Supporter", "amount": 3000, "currency": "USD"},
        ],
    }
    assert (await client.put(f"{url}/{default['offerId']}", json=body, headers=owner.headers)).status_code == 200
    vip = {"name": "VIP", "prices": [{"amount": 9900, "currency": "EUR", "quantity": 20}]}
    created = await client.post(url, json=vip, headers=owner.headers)
    assert created.status_code == 201 and created.json()["stripeSetupStatus"] == "pending", created.text

    assert await provider_sync.provision_sale(app_ctx, event["eventId"]) == "created"

    async with app_ctx.db.sessionmaker() as session:
        prices = list(await session.scalars(select(Price).where(Price.archived_at.is_(None))))
        offers = {o.offer_id: o for o in await session.scalars(select(Offer).where(Offer.scope_id == event["eventId"]))}
    ours = [p for p in prices if p.offer_id in offers]
    assert len(ours) == 3 and all(p.provider_price_id in standin.prices for p in ours)
    assert {(standin.prices[p.provider_price_id or ""]["unit_amount"], p.amount) for p in ours} == {
        (1200, 1200),
        (3000, 3000),
        (9900, 9900),
    }
    products = {o.provider_product_id for o in offers.values()}
    assert len(products) == 2 and {standin.products[p or ""]["name"] for p in products} == {"Gala", "Gala - VIP"}
    listed = (await client.get(url, headers=owner.headers)).json()["items"]
    assert {o["stripeSetupStatus"] for o in listed} == {"created"}

    supporter = next(p for p in ours if p.amount == 3000)
    admitted = (await factory.register(event["eventId"])).json()
    opened = await client.post(
        f"/api/events/{event['eventId']}/checkout",
        json={"priceId": supporter.price_id},
        headers={"Authorization": f"Bearer {admitted['token']}"},
    )
    assert opened.status_code == 200, opened.text
    line = standin.made("/v1/checkout/sessions")[-1].params["line_items"][0]
    assert line["price"] == supporter.provider_price_id
