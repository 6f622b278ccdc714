"""Login throttling keeps guessing out without handing an attacker a way to lock an admin out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from golive.platform.ratelimit import network_key
from tests.support import ADMIN_PASSWORD, Factory, assert_error

ClientFrom = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def client_from(app: FastAPI) -> ClientFrom:
    @asynccontextmanager
    async def open_client(ip: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(ip, 41000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http

    return open_client


async def _guess(http: httpx.AsyncClient, email: str, times: int) -> list[int]:
    statuses = []
    for n in range(times):
        response = await http.post("/api/auth/login", json={"email": email, "password": f"wrong guess {n}"})
        statuses.append(response.status_code)
    return statuses


async def test_an_attacker_cannot_lock_the_owner_out_from_another_address(
    factory: Factory, client_from: ClientFrom
) -> None:
    owner = await factory.admin(email="owner@example.com")
    async with client_from("198.51.100.23") as attacker, client_from("192.0.2.80") as owners_laptop:
        assert await _guess(attacker, owner.email, 5) == [401] * 5
        stopped = await attacker.post("/api/auth/login", json={"email": owner.email, "password": ADMIN_PASSWORD})
        assert_error(stopped, 429, "too_many_requests")  # brute force from one address: stopped, even when right

        logged_in = await owners_laptop.post("/api/auth/login", json={"email": owner.email, "password": ADMIN_PASSWORD})
        assert logged_in.status_code == 200, logged_in.text
        assert logged_in.json()["admin"]["email"] == owner.email


async def test_guesses_spread_over_one_ipv6_network_share_one_budget(factory: Factory, client_from: ClientFrom) -> None:
    owner = await factory.admin(email="v6owner@example.com")
    for n in range(5):  # a fresh address of the same /64 for every guess
        async with client_from(f"2001:db8:5:7::{n + 1:x}") as attacker:
            assert await _guess(attacker, owner.email, 1) == [401]
    async with client_from("2001:db8:5:7:ffff::9") as attacker:
        blocked = await attacker.post("/api/auth/login", json={"email": owner.email, "password": ADMIN_PASSWORD})
        assert_error(blocked, 429, "too_many_requests")
    async with client_from("2001:db8:5:8::1") as neighbour_network:
        login = {"email": owner.email, "password": ADMIN_PASSWORD}
        allowed = await neighbour_network.post("/api/auth/login", json=login)
        assert allowed.status_code == 200, allowed.text


def test_ipv6_addresses_count_by_their_64_and_ipv4_by_the_address() -> None:
    assert network_key("2001:db8:1:2:aaaa::1") == network_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert network_key("2001:db8:1:3::1") != network_key("2001:db8:1:2::1")
    assert network_key("203.0.113.7") == "203.0.113.7" != network_key("203.0.113.8")
    assert network_key("::ffff:203.0.113.7") == "203.0.113.7"
