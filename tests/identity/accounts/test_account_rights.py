"""An account holds rights across devices: what a browser bought or cleared signed in (or as a guest, then
signed in) plays on the account's other devices with no second payment and no restore code; signing out ends
that on the next request; a refund takes every copy; an `account` event admits signed-in accounts only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.commerce.conftest import TINY_LADDER, loopback  # noqa: F401  (the local provider's webhooks)
from tests.commerce.support import CARD, only_payment, paid_event, paid_viewer, pay, refund
from tests.identity.accounts.conftest import PASSWORD, Accounts
from tests.live_server import free_port
from tests.support import AdminLogin, Factory, assert_error, new_client_viewer_id

pytestmark = pytest.mark.usefixtures("loopback")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The SMTP sink's settings (accounts mail their codes), on a port the local provider's webhooks reach."""
    return settings.model_copy(update={"host": "127.0.0.1", "port": free_port(), "ladder": TINY_LADDER})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def admit(
    client: httpx.AsyncClient, event_id: str, browser: str, account_token: str | None = None, **body: Any
) -> dict[str, Any]:
    """POST /api/registrations from a browser, signed in with the account's token when one is given."""
    headers = bearer(account_token) if account_token else {}
    response = await client.post(
        "/api/registrations", json={"eventId": event_id, "clientViewerId": browser, **body}, headers=headers
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def sign_in(accounts: Accounts, email: str, browser: str | None = None) -> str:
    body: dict[str, Any] = {"email": email, "password": PASSWORD}
    if browser is not None:
        body["clientViewerId"] = browser
    response = await accounts.client.post("/api/account/login", json=body)
    assert response.status_code == 200, response.text
    accounts.client.cookies.clear()
    return str(response.json()["token"])


async def plays(client: httpx.AsyncClient, event_id: str, viewer_token: str) -> httpx.Response:
    """A playback session, as the player opens one (201), or the refusal decide gave."""
    return await client.post("/api/playback/sessions", json={"eventId": event_id}, headers=bearer(viewer_token))


async def library(client: httpx.AsyncClient, token: str, **query: Any) -> dict[str, Any]:
    response = await client.get("/api/account/library", params=query, headers=bearer(token))
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def test_a_purchase_made_signed_in_plays_on_the_accounts_second_device_without_paying(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    laptop_token = await accounts.signed_up("ada@example.com")
    event = await paid_event(factory, owner)
    event_id = event["eventId"]
    laptop = new_client_viewer_id()
    owed = await admit(client, event_id, laptop, laptop_token)
    assert owed["requiresPayment"] is True and owed["token"]
    started = await pay(factory, event_id, owed["token"])
    assert started.status_code == 200, started.text
    paid = await client.post(urlsplit(started.json()["checkoutUrl"]).path, data=CARD)
    assert paid.status_code == 303, paid.text

    phone = new_client_viewer_id()
    assert (await admit(client, event_id, phone))["requiresPayment"] is True  # a guest phone pays
    phone_token = await sign_in(accounts, "ada@example.com")
    signed_in = await admit(client, event_id, phone, phone_token)
    assert signed_in["requiresPayment"] is False and signed_in["isPaidViewer"] is True
    assert (await plays(client, event_id, signed_in["token"])).status_code == 201

    shelf = await library(client, phone_token)
    assert shelf["total"] == 1
    account_id = (await accounts.me(phone_token)).json()["accountId"]
    ledger = await client.get("/api/payments", params={"accountId": account_id}, headers=owner.headers)
    assert [(p["eventId"], p["status"], p["amount"]) for p in ledger.json()["items"]] == [(event_id, "succeeded", 1200)]
    nobody = await client.get(
        "/api/payments", params={"accountId": "01NOSUCHACCOUNT00000000000"}, headers=owner.headers
    )
    assert nobody.json()["total"] == 0
    assert shelf["items"][0]["eventId"] == event_id
    assert shelf["items"][0]["state"] == "available" and shelf["items"][0]["paid"] is True


async def test_signing_in_gives_the_account_what_the_browser_bought_as_a_guest_and_a_refund_takes_it_back(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts, app_ctx: AppContext
) -> None:
    bought = await paid_viewer(factory, owner, client)  # a guest pays on the laptop
    event_id = bought["event"]["eventId"]
    await accounts.signed_up("ada@example.com")
    await sign_in(accounts, "ada@example.com", browser=bought["clientId"])  # ... then signs in there

    phone = new_client_viewer_id()
    phone_token = await sign_in(accounts, "ada@example.com")
    on_phone = await admit(client, event_id, phone, phone_token)
    assert on_phone["requiresPayment"] is False and on_phone["token"]
    assert (await plays(client, event_id, on_phone["token"])).status_code == 201

    payment = await only_payment(app_ctx, bought["viewerId"])
    assert (await refund(client, owner, payment.payment_id)).status_code == 200
    refused = await plays(client, event_id, on_phone["token"])
    assert_error(refused, 403, "not_admitted")
    assert refused.json()["error"]["details"]["reason"] == "revoked"
    assert (await library(client, phone_token))["items"][0]["state"] == "refunded"


async def test_signing_out_ends_the_accounts_rights_on_that_device_at_the_next_request(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    bought = await paid_viewer(factory, owner, client)
    event_id = bought["event"]["eventId"]
    await accounts.signed_up("ada@example.com")
    await sign_in(accounts, "ada@example.com", browser=bought["clientId"])
    phone = new_client_viewer_id()
    phone_token = await sign_in(accounts, "ada@example.com")
    on_phone = await admit(client, event_id, phone, phone_token)
    assert (await plays(client, event_id, on_phone["token"])).status_code == 201

    out = await client.post("/api/account/logout", json={"everywhere": False}, headers=bearer(phone_token))
    assert out.status_code == 204
    refused = await plays(client, event_id, on_phone["token"])  # the same viewer token, signed out
    assert_error(refused, 403, "not_admitted")
    assert refused.json()["error"]["details"]["reason"] == "payment_required"
    assert (await plays(client, event_id, bought["token"])).status_code == 201  # the laptop bought it itself
    # a forged, ended or foreign sign-in on the admission is a guest's call, not an error
    as_guest = await admit(client, event_id, phone, phone_token)
    assert as_guest["requiresPayment"] is True


async def test_an_account_event_admits_a_signed_in_account_and_refuses_the_gates_other_inputs(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    event = await factory.open_event(owner, accessType="account")
    event_id = event["eventId"]
    browser = new_client_viewer_id()
    guest = await admit(client, event_id, browser)
    assert guest["accessVerified"] is False and guest["token"] is None
    for body in ({"password": "hunter22"}, {"email": "ada@example.com", "code": "123456"}):
        refused = await client.post("/api/registrations", json={"eventId": event_id, "clientViewerId": browser, **body})
        assert_error(refused, 422, "validation_error")

    token = await accounts.signed_up("ada@example.com", PASSWORD)
    member = await admit(client, event_id, browser, token)
    assert member["accessVerified"] is True and member["token"]
    assert (await plays(client, event_id, member["token"])).status_code == 201
    registrations = await client.get(f"/api/events/{event_id}/registrations", headers=owner.headers)
    assert [row["email"] for row in registrations.json()["items"]] == ["ada@example.com"]


async def test_a_verified_account_clears_an_email_gate_without_a_code(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    event = await factory.open_event(owner, accessType="email")
    token = await accounts.signed_up("ada@example.com")
    before = len(accounts.mails_to("ada@example.com"))
    answer = await admit(client, event["eventId"], new_client_viewer_id(), token)
    assert answer["accessVerified"] is True and answer["token"] and answer["codeSent"] is False
    assert len(accounts.mails_to("ada@example.com")) == before  # no code was mailed


async def test_an_admins_complimentary_access_to_the_accounts_address_counts_when_signed_in(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    event = await paid_event(factory, owner, accessType="password", accessPassword="open sesame 42")
    event_id = event["eventId"]
    invite = {"email": "ada@example.com"}
    granted = await client.post(f"/api/events/{event_id}/grants", json=invite, headers=owner.headers)
    assert granted.status_code == 201, granted.text
    token = await accounts.signed_up("ada@example.com")
    answer = await admit(client, event_id, new_client_viewer_id(), token)
    assert answer["accessVerified"] is True and answer["requiresPayment"] is False
    assert (await plays(client, event_id, answer["token"])).status_code == 201
    [held] = (await library(client, token))["items"]
    assert held["eventId"] == event_id and held["complimentaryGrantId"] == granted.json()["grantId"]


async def test_the_library_lists_newest_first_with_each_events_state_and_pages(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    token = await accounts.signed_up("ada@example.com")
    browser = new_client_viewer_id()
    upcoming = await factory.event(owner, eventType="live", scheduledStart="2031-05-01T18:00:00Z")
    scheduled = await client.post(
        f"/api/events/{upcoming['eventId']}/transitions", json={"to": "scheduled"}, headers=owner.headers
    )
    assert scheduled.status_code == 200, scheduled.text
    live = await factory.open_event(owner)
    for event in (upcoming, live):
        await admit(client, event["eventId"], browser, token)

    first = await library(client, token, limit=1)
    assert first["total"] == 2 and len(first["items"]) == 1
    assert first["items"][0]["eventId"] == live["eventId"]  # the newest
    second = await library(client, token, limit=1, offset=1)
    item = second["items"][0]
    assert item["eventId"] == upcoming["eventId"] and item["state"] == "upcoming"
    assert item["startsAt"].startswith("2031-05-01T18:00:00")
    assert_error(await client.get("/api/account/library"), 401, "not_signed_in")
    assert (await library(client, await accounts.signed_up("bob@example.com")))["total"] == 0
