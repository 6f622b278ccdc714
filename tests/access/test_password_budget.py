"""Event passwords: a budget per event stops guessing spread over many addresses, without closing the event."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from golive.platform.settings import Settings
from tests.support import DESKTOP_UA, AdminLogin, Factory, assert_error, new_client_viewer_id

PASSWORD = "open sesame"
EVENT_BUDGET = 6

ClientFrom = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"viewer_password_max_failures_per_event": EVENT_BUDGET, "viewer_password_max_failures_per_ip": 8}
    )


@pytest.fixture
def client_from(app: FastAPI) -> ClientFrom:
    @asynccontextmanager
    async def open_client(ip: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(ip, 42000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http

    return open_client


async def _try(http: httpx.AsyncClient, event_id: str, password: str) -> httpx.Response:
    body = {"eventId": event_id, "clientViewerId": new_client_viewer_id(), "password": password}
    return await http.post("/api/registrations", json=body, headers={"User-Agent": DESKTOP_UA})


async def _automation(http: httpx.AsyncClient, owner: AdminLogin, event_id: str) -> list[dict[str, object]]:
    response = await http.get(f"/api/events/{event_id}/automation", headers=owner.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return [item for item in items if item["action"] == "password.budget_spent"]


async def test_guesses_from_many_addresses_spend_the_events_budget_but_new_viewers_still_get_in(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, client_from: ClientFrom
) -> None:
    event = await factory.open_event(owner, accessType="password", accessPassword=PASSWORD)
    event_id = event["eventId"]
    attackers = [f"198.51.100.{n}" for n in range(1, 4)]
    for ip in attackers:  # two wrong guesses each: well inside every per-address budget
        async with client_from(ip) as attacker:
            for n in range(2):
                assert_error(await _try(attacker, event_id, f"guess {ip} {n}"), 403, "wrong_password")
    assert len(await _automation(client, owner, event_id)) == 1

    async with client_from(attackers[0]) as attacker:  # an address that guessed wrong: stopped, even when right
        stopped = await _try(attacker, event_id, PASSWORD)
        error = assert_error(stopped, 429, "too_many_requests")
        assert int(stopped.headers["Retry-After"]) >= 1 and error["details"]["retryAfter"] >= 1
    async with client_from("192.0.2.44") as viewer:  # a viewer who never guessed: let in with the password
        admitted = await _try(viewer, event_id, PASSWORD)
        assert admitted.status_code == 200, admitted.text
        assert admitted.json()["token"]
    async with client_from("192.0.2.45") as newcomer:  # a fresh address gets one guess, then it too is stopped
        assert_error(await _try(newcomer, event_id, "one more guess"), 403, "wrong_password")
        assert_error(await _try(newcomer, event_id, PASSWORD), 429, "too_many_requests")

    entries = await _automation(client, owner, event_id)
    assert len(entries) == 1  # reported once per window, however many more guesses arrive
    assert entries[0]["triggerType"] == "security" and entries[0]["executionStatus"] == "failed"
    assert entries[0]["details"]["failures"] == EVENT_BUDGET  # type: ignore[index]


async def test_one_events_spent_budget_leaves_other_events_alone(
    factory: Factory, owner: AdminLogin, client_from: ClientFrom
) -> None:
    attacked = await factory.open_event(owner, accessType="password", accessPassword=PASSWORD)
    other = await factory.open_event(owner, accessType="password", accessPassword=PASSWORD)
    for n in range(EVENT_BUDGET):
        async with client_from(f"198.51.100.{n + 10}") as attacker:
            assert_error(await _try(attacker, attacked["eventId"], f"guess {n}"), 403, "wrong_password")
    async with client_from("198.51.100.10") as attacker:
        assert_error(await _try(attacker, attacked["eventId"], PASSWORD), 429, "too_many_requests")
        assert (await _try(attacker, other["eventId"], PASSWORD)).status_code == 200


async def test_addresses_of_one_ipv6_64_share_the_per_address_budget(
    factory: Factory, owner: AdminLogin, client_from: ClientFrom
) -> None:
    event = await factory.open_event(owner, accessType="password", accessPassword=PASSWORD)
    other = await factory.open_event(owner, accessType="password", accessPassword=PASSWORD)
    for n in range(8):  # the per-address budget (8), each guess from a fresh address of the same /64
        async with client_from(f"2001:db8:77:1::{n + 1:x}") as attacker:
            target = (event if n % 2 else other)["eventId"]
            assert (await _try(attacker, target, f"guess {n}")).status_code == 403
    async with client_from("2001:db8:77:1:abcd::1") as attacker:
        assert_error(await _try(attacker, event["eventId"], PASSWORD), 429, "too_many_requests")
    async with client_from("2001:db8:77:2::1") as neighbour:
        assert (await _try(neighbour, event["eventId"], PASSWORD)).status_code == 200
