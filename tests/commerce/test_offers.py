"""An event's offers and prices through the API (issue 13, item 4): managed by the event's editors, audited,
validated with clear errors, and the event API's isPaidEvent/priceAmount/currency reading and writing the
default offer's first price."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from golive.identity.staff.models import AdminRole
from golive.platform.db import utcnow
from tests.commerce.support import paid_event
from tests.support import AdminLogin, Factory, assert_error


def offers_url(event_id: str, offer_id: str | None = None) -> str:
    return f"/api/events/{event_id}/offers" + (f"/{offer_id}" if offer_id else "")


async def offers_of(client: httpx.AsyncClient, admin: AdminLogin, event_id: str) -> list[dict[str, Any]]:
    response = await client.get(offers_url(event_id), headers=admin.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def event_as_admin(client: httpx.AsyncClient, admin: AdminLogin, event_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/events/{event_id}", headers=admin.headers)
    assert response.status_code == 200, response.text
    event: dict[str, Any] = response.json()
    return event


async def test_a_paid_event_is_one_default_ticket_offer_with_its_price(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner, priceAmount=1500, currency="EUR")

    [offer] = await offers_of(client, owner, event["eventId"])

    assert offer["offerId"].startswith("off_") and offer["kind"] == "ticket" and offer["isDefault"] is True
    [price] = offer["prices"]
    assert price["priceId"].startswith("price_")
    assert (price["amount"], price["currency"], price["sold"], price["remaining"]) == (1500, "EUR", 0, None)


async def test_a_second_price_on_the_default_offer_leaves_the_event_api_as_it_was(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    [offer] = await offers_of(client, owner, event["eventId"])
    kept = offer["prices"][0]
    body = {
        "name": "Tickets",
        "prices": [
            {"priceId": kept["priceId"], "name": "Standard", "amount": 1200, "currency": "USD"},
            {"name": "Supporter", "amount": 3000, "currency": "USD", "quantity": 50},
        ],
    }

    response = await client.put(offers_url(event["eventId"], offer["offerId"]), json=body, headers=owner.headers)

    assert response.status_code == 200, response.text
    standard, supporter = response.json()["prices"]
    assert standard["priceId"] == kept["priceId"] and standard["name"] == "Standard"
    assert (supporter["amount"], supporter["quantity"], supporter["remaining"]) == (3000, 50, 50)
    shown = await event_as_admin(client, owner, event["eventId"])
    assert (shown["isPaidEvent"], shown["priceAmount"], shown["currency"]) == (True, 1200, "USD")
    public = (await client.get(f"/api/events/{event['eventId']}")).json()
    assert (public["isPaidEvent"], public["priceAmount"], public["currency"]) == (True, 1200, "USD")


async def test_changing_the_price_through_the_event_api_shows_at_once_on_the_public_page(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    assert (await client.get(f"/api/events/{event['eventId']}")).json()["priceAmount"] == 1200  # cached now

    await client.put(f"/api/events/{event['eventId']}", json={"priceAmount": 900}, headers=owner.headers)
    assert (await client.get(f"/api/events/{event['eventId']}")).json()["priceAmount"] == 900
    [offer] = await offers_of(client, owner, event["eventId"])
    assert offer["prices"][0]["amount"] == 900

    body = {"name": "Ticket", "prices": [{"priceId": offer["prices"][0]["priceId"], "amount": 700, "currency": "USD"}]}
    await client.put(offers_url(event["eventId"], offer["offerId"]), json=body, headers=owner.headers)
    assert (await client.get(f"/api/events/{event['eventId']}")).json()["priceAmount"] == 700


async def test_a_free_event_becomes_paid_with_its_first_offer_and_free_again_when_it_is_deleted(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner)
    assert event["isPaidEvent"] is False and event["priceAmount"] is None
    body = {"name": "Early access", "prices": [{"amount": 500, "currency": "gbp"}]}

    created = await client.post(offers_url(event["eventId"]), json=body, headers=owner.headers)

    assert created.status_code == 201, created.text
    assert created.json()["isDefault"] is True and created.json()["prices"][0]["currency"] == "GBP"
    public = (await client.get(f"/api/events/{event['eventId']}")).json()
    assert (public["isPaidEvent"], public["priceAmount"], public["currency"]) == (True, 500, "GBP")
    admitted = (await factory.register(event["eventId"])).json()
    assert admitted["requiresPayment"] is True

    deleted = await client.delete(offers_url(event["eventId"], created.json()["offerId"]), headers=owner.headers)

    assert deleted.status_code == 204
    assert await offers_of(client, owner, event["eventId"]) == []
    public = (await client.get(f"/api/events/{event['eventId']}")).json()
    assert (public["isPaidEvent"], public["priceAmount"]) == (False, None)
    assert (await factory.register(event["eventId"])).json()["requiresPayment"] is False


async def test_unpaid_keeps_the_price_and_paid_again_brings_it_back(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    url = f"/api/events/{event['eventId']}"

    free = await client.put(url, json={"isPaidEvent": False}, headers=owner.headers)

    assert free.status_code == 200, free.text
    assert (free.json()["isPaidEvent"], free.json()["priceAmount"], free.json()["currency"]) == (False, 1200, "USD")
    assert await offers_of(client, owner, event["eventId"]) == []  # nothing on sale
    assert (await factory.register(event["eventId"])).json()["requiresPayment"] is False
    listed = await client.get("/api/events", params={"isPaid": "false"}, headers=owner.headers)
    assert event["eventId"] in [e["eventId"] for e in listed.json()["items"]]

    paid = await client.put(url, json={"isPaidEvent": True}, headers=owner.headers)

    assert (paid.json()["isPaidEvent"], paid.json()["priceAmount"]) == (True, 1200)
    assert len(await offers_of(client, owner, event["eventId"])) == 1
    assert (await factory.register(event["eventId"])).json()["requiresPayment"] is True


async def test_the_event_list_shows_each_events_default_price(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    paid = await paid_event(factory, owner, title="Paid one", priceAmount=2500, currency="EUR")
    free = await factory.event(owner, title="Free one")

    listed = await client.get("/api/events", params={"sort": "-createdAt"}, headers=owner.headers)

    by_id = {e["eventId"]: e for e in listed.json()["items"]}
    assert (by_id[paid["eventId"]]["priceAmount"], by_id[paid["eventId"]]["currency"]) == (2500, "EUR")
    assert (by_id[free["eventId"]]["priceAmount"], by_id[free["eventId"]]["isPaidEvent"]) == (None, False)


async def test_every_offer_change_is_in_the_events_audit_trail(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.event(owner)
    body = {"name": "Ticket", "prices": [{"amount": 500, "currency": "USD"}]}
    offer = (await client.post(offers_url(event["eventId"]), json=body, headers=owner.headers)).json()
    body["prices"][0] = {**body["prices"][0], "priceId": offer["prices"][0]["priceId"], "amount": 800}
    await client.put(offers_url(event["eventId"], offer["offerId"]), json=body, headers=owner.headers)
    await client.delete(offers_url(event["eventId"], offer["offerId"]), headers=owner.headers)

    trail = (await client.get(f"/api/events/{event['eventId']}/audit", headers=owner.headers)).json()["items"]

    entries = [e for e in trail if e["action"].startswith("offer.")]
    assert [e["action"] for e in entries] == ["offer.delete", "offer.update", "offer.create"]
    update = entries[1]
    assert update["before"]["prices"][0]["amount"] == 500 and update["after"]["prices"][0]["amount"] == 800
    assert all(e["actorId"] == owner.admin_id for e in entries)


async def test_only_signed_in_editors_change_offers(factory: Factory, client: httpx.AsyncClient) -> None:
    owner = await factory.admin()
    event = await factory.event(owner)
    body = {"name": "Ticket", "prices": [{"amount": 500, "currency": "USD"}]}

    refused = await client.post(offers_url(event["eventId"]), json=body)

    assert_error(refused, 401, "not_authenticated")
    editor = await factory.admin(AdminRole.EDITOR)
    assert (await client.post(offers_url(event["eventId"]), json=body, headers=editor.headers)).status_code == 201


@pytest.mark.parametrize(
    ("price", "field"),
    [
        ({"amount": 0, "currency": "USD"}, "prices.0.amount"),
        ({"amount": 100_000_001, "currency": "USD"}, "prices.0.amount"),
        ({"amount": 500, "currency": "XYZ"}, "prices.0.currency"),
        ({"amount": 500}, "prices.0.currency"),
        ({"amount": 500, "currency": "USD", "quantity": 0}, "prices.0.quantity"),
        ({"amount": 500, "currency": "USD", "saleStarts": "2030-01-02T00:00:00Z", "saleEnds": "2030-01-01T00:00:00Z"},
         "prices.0"),
        ({"amount": 500, "currency": "USD", "saleEnds": "not a date"}, "prices.0.saleEnds"),
        ({"amount": 500, "currency": "USD", "colour": "red"}, "prices.0.colour"),
    ],
)  # fmt: skip
async def test_a_bad_price_is_refused_with_the_field_named_and_nothing_saved(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, price: dict[str, Any], field: str
) -> None:
    event = await factory.event(owner)

    refused = await client.post(
        offers_url(event["eventId"]), json={"name": "T", "prices": [price]}, headers=owner.headers
    )

    error = assert_error(refused, 422, "validation_error")
    assert field in error["details"]["fields"], error
    assert await offers_of(client, owner, event["eventId"]) == []


async def test_an_offer_needs_a_name_and_at_least_one_price(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.event(owner)

    refused = await client.post(offers_url(event["eventId"]), json={"name": "", "prices": []}, headers=owner.headers)

    fields = assert_error(refused, 422, "validation_error")["details"]["fields"]
    assert {"name", "prices"} <= set(fields)


async def test_a_quantity_below_what_is_sold_and_a_foreign_price_id_are_refused(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    from tests.commerce.support import pay

    event = await paid_event(factory, owner)
    [offer] = await offers_of(client, owner, event["eventId"])
    price_id = offer["prices"][0]["priceId"]
    for _ in range(2):  # two open checkouts hold a unit each
        admitted = (await factory.register(event["eventId"])).json()
        assert (await pay(factory, event["eventId"], admitted["token"])).status_code == 200
    url = offers_url(event["eventId"], offer["offerId"])

    too_few = {"name": "T", "prices": [{"priceId": price_id, "amount": 1200, "currency": "USD", "quantity": 1}]}
    refused = await client.put(url, json=too_few, headers=owner.headers)
    assert "prices.0.quantity" in assert_error(refused, 422, "validation_error")["details"]["fields"]
    foreign = {"name": "T", "prices": [{"priceId": "price_nope", "amount": 1200, "currency": "USD"}]}
    refused = await client.put(url, json=foreign, headers=owner.headers)
    assert "prices.0.priceId" in assert_error(refused, 422, "validation_error")["details"]["fields"]

    enough = {"name": "T", "prices": [{"priceId": price_id, "amount": 1200, "currency": "USD", "quantity": 2}]}
    kept = await client.put(url, json=enough, headers=owner.headers)
    assert kept.status_code == 200, kept.text
    assert (kept.json()["prices"][0]["sold"], kept.json()["prices"][0]["remaining"]) == (2, 0)


async def test_unknown_events_and_offers_are_404s(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.event(owner)
    body = {"name": "T", "prices": [{"amount": 500, "currency": "USD"}]}

    assert_error(await client.get(offers_url("nope"), headers=owner.headers), 404, "event_not_found")
    assert_error(await client.post(offers_url("nope"), json=body, headers=owner.headers), 404, "event_not_found")
    missing = await client.put(offers_url(event["eventId"], "off_nope"), json=body, headers=owner.headers)
    assert_error(missing, 404, "offer_not_found")
    assert_error(
        await client.delete(offers_url(event["eventId"], "off_nope"), headers=owner.headers), 404, "offer_not_found"
    )


async def test_a_half_price_on_a_free_event_is_refused(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    refused = await client.post("/api/events", json={"title": "t", "priceAmount": 500}, headers=owner.headers)

    assert "currency" in assert_error(refused, 422, "validation_error")["details"]["fields"]


async def test_prices_on_sale_are_public_and_in_checkout_order(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    [offer] = await offers_of(client, owner, event["eventId"])
    later = (utcnow() + timedelta(days=3)).isoformat()
    body = {
        "name": "Ticket",
        "prices": [
            {"priceId": offer["prices"][0]["priceId"], "amount": 1200, "currency": "USD"},
            {"name": "Next week", "amount": 1500, "currency": "USD", "saleStarts": later},
        ],
    }
    await client.put(offers_url(event["eventId"], offer["offerId"]), json=body, headers=owner.headers)

    listed = await client.get(f"/api/events/{event['eventId']}/prices")

    assert listed.status_code == 200, listed.text
    assert [p["amount"] for p in listed.json()["items"]] == [1200]  # the later one is not on sale yet
    assert_error(await client.get("/api/events/nope/prices"), 404, "event_not_found")
