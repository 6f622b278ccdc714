"""Which price a checkout charges (issue 13, item 4): the viewer's choice or the first on sale now, an
early-bird price handing over to the next when its window closes, and a quantity limit that parallel
checkouts never oversell; a unit comes back when its checkout expires, and stays when it is paid."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import update

from golive.commerce import checkouts
from golive.commerce.models import Payment
from golive.commerce.offer_models import Price
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.settings import Settings
from tests.commerce.support import CARD, paid_event, pay
from tests.support import AdminLogin, Factory, assert_error


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """50 checkouts at once wait for 30 pooled connections: on a busy 2-core machine longer than the 10 s a
    request waits by default (then it answers 503, which is not what these tests are about)."""
    return settings.model_copy(update={"db_pool_timeout_seconds": 120.0})


async def with_prices(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, prices: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A live paid event whose default offer has these prices (in this order); returns them with their ids."""
    event = await paid_event(factory, owner)
    [offer] = (await client.get(f"/api/events/{event['eventId']}/offers", headers=owner.headers)).json()["items"]
    first = {"priceId": offer["prices"][0]["priceId"], **prices[0]}
    body = {"name": "Tickets", "prices": [first, *prices[1:]]}
    saved = await client.put(
        f"/api/events/{event['eventId']}/offers/{offer['offerId']}", json=body, headers=owner.headers
    )
    assert saved.status_code == 200, saved.text
    return event, saved.json()["prices"]


async def admitted_token(factory: Factory, event_id: str) -> str:
    answer = (await factory.register(event_id)).json()
    assert answer["requiresPayment"] is True, answer
    token: str = answer["token"]
    return token


async def test_the_viewer_pays_the_price_they_chose(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event, (standard, supporter) = await with_prices(
        factory,
        owner,
        client,
        [
            {"name": "Standard", "amount": 1200, "currency": "USD"},
            {"name": "Supporter", "amount": 3000, "currency": "USD"},
        ],
    )
    offered = (await client.get(f"/api/events/{event['eventId']}/prices")).json()["items"]
    assert [(p["name"], p["amount"]) for p in offered] == [("Standard", 1200), ("Supporter", 3000)]
    token = await admitted_token(factory, event["eventId"])

    opened = await client.post(
        f"/api/events/{event['eventId']}/checkout",
        json={"priceId": supporter["priceId"]},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert opened.status_code == 200, opened.text
    assert opened.json()["priceId"] == supporter["priceId"]
    async with app_ctx.db.sessionmaker() as session:
        payment = await session.get(Payment, opened.json()["paymentId"])
    assert payment is not None and (payment.amount, payment.price_id) == (3000, supporter["priceId"])
    assert payment.offer_id is not None and payment.offer_id.startswith("off_")
    default = await pay(factory, event["eventId"], await admitted_token(factory, event["eventId"]))
    assert default.json()["priceId"] == standard["priceId"]  # no choice: the first on sale


async def test_when_the_early_bird_window_closes_the_checkout_charges_the_next_price(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    ends = (utcnow() + timedelta(hours=1)).isoformat()
    event, (early, regular) = await with_prices(
        factory,
        owner,
        client,
        [
            {"name": "Early bird", "amount": 900, "currency": "USD", "saleEnds": ends},
            {"name": "Regular", "amount": 1500, "currency": "USD"},
        ],
    )
    early_buyer = await pay(factory, event["eventId"], await admitted_token(factory, event["eventId"]))
    assert early_buyer.json()["priceId"] == early["priceId"]
    late_token = await admitted_token(factory, event["eventId"])
    async with app_ctx.db.session() as session:  # an hour later: the early-bird window has closed
        await session.execute(
            update(Price).where(Price.price_id == early["priceId"]).values(sale_ends=utcnow() - timedelta(seconds=1))
        )

    late = await pay(factory, event["eventId"], late_token)

    assert late.status_code == 200, late.text
    assert late.json()["priceId"] == regular["priceId"]
    async with app_ctx.db.sessionmaker() as session:
        payment = await session.get(Payment, late.json()["paymentId"])
    assert payment is not None and payment.amount == 1500
    offered = (await client.get(f"/api/events/{event['eventId']}/prices")).json()["items"]
    assert [p["priceId"] for p in offered] == [regular["priceId"]]
    asked = await client.post(
        f"/api/events/{event['eventId']}/checkout",
        json={"priceId": early["priceId"]},
        headers={"Authorization": f"Bearer {await admitted_token(factory, event['eventId'])}"},
    )
    assert_error(asked, 409, "price_not_on_sale")
    public = (await client.get(f"/api/events/{event['eventId']}")).json()
    assert public["isPaidEvent"] is True  # the event still sells (the next price)


async def test_a_price_of_another_event_is_refused(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    other = await paid_event(factory, owner)
    [offer] = (await client.get(f"/api/events/{other['eventId']}/offers", headers=owner.headers)).json()["items"]
    token = await admitted_token(factory, event["eventId"])

    refused = await client.post(
        f"/api/events/{event['eventId']}/checkout",
        json={"priceId": offer["prices"][0]["priceId"]},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert "priceId" in assert_error(refused, 422, "validation_error")["details"]["fields"]


@pytest.mark.usefixtures("loopback")
async def test_fifty_parallel_checkouts_of_ten_tickets_open_exactly_ten(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event, (limited,) = await with_prices(
        factory, owner, client, [{"name": "Front row", "amount": 5000, "currency": "USD", "quantity": 10}]
    )
    tokens = [await admitted_token(factory, event["eventId"]) for _ in range(50)]

    answers = await asyncio.gather(*(pay(factory, event["eventId"], token) for token in tokens))

    codes = sorted(a.status_code for a in answers)
    assert codes.count(200) == 10 and codes.count(409) == 40, codes
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"price_sold_out"}
    [offer] = (await client.get(f"/api/events/{event['eventId']}/offers", headers=owner.headers)).json()["items"]
    assert (offer["prices"][0]["sold"], offer["prices"][0]["remaining"]) == (10, 0)
    assert (await client.get(f"/api/events/{event['eventId']}/prices")).json()["items"] == []
    assert limited["quantity"] == 10


@pytest.mark.usefixtures("loopback")
async def test_an_expired_checkout_gives_its_ticket_back_and_a_paid_one_keeps_it(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event, (limited,) = await with_prices(
        factory, owner, client, [{"name": "Seat", "amount": 2000, "currency": "USD", "quantity": 1}]
    )
    first = await pay(factory, event["eventId"], await admitted_token(factory, event["eventId"]))
    second_token = await admitted_token(factory, event["eventId"])
    assert_error(await pay(factory, event["eventId"], second_token), 409, "price_sold_out")
    async with app_ctx.db.session() as session:  # the first checkout ran out long ago
        await session.execute(
            update(Payment)
            .where(Payment.payment_id == first.json()["paymentId"])
            .values(checkout_expires_at=utcnow() - timedelta(hours=1))
        )

    assert await checkouts.expire_abandoned_checkouts(app_ctx) == 1
    assert await checkouts.expire_abandoned_checkouts(app_ctx) == 0  # given back once

    second = await pay(factory, event["eventId"], second_token)
    assert second.status_code == 200, second.text
    paid = await client.post(urlsplit(second.json()["checkoutUrl"]).path, data=CARD)  # the local test card
    assert paid.status_code == 303, paid.text
    async with app_ctx.db.session() as session:  # long after: a paid checkout is never given back
        await session.execute(update(Payment).values(checkout_expires_at=utcnow() - timedelta(hours=1)))
    await checkouts.expire_abandoned_checkouts(app_ctx)

    [offer] = (await client.get(f"/api/events/{event['eventId']}/offers", headers=owner.headers)).json()["items"]
    assert (offer["prices"][0]["sold"], offer["prices"][0]["remaining"]) == (1, 0)
    assert limited["priceId"] == offer["prices"][0]["priceId"]
    async with app_ctx.db.sessionmaker() as session:
        payment = await session.get(Payment, second.json()["paymentId"])
    assert payment is not None and payment.status == "succeeded" and payment.unit_held is True
