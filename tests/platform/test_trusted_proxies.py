"""X-Forwarded-For counts only from the proxies GOLIVE_TRUSTED_PROXIES lists, read from the right."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from golive.platform.settings import Settings
from tests.support import ADMIN_PASSWORD, DESKTOP_UA, AdminLogin, Factory, assert_error, new_client_viewer_id

PROXY = "10.20.0.5"
PER_ADDRESS = 3
PASSWORD = "open sesame"

ClientFrom = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "trust_proxy_headers": True,
            "trusted_proxies": f"127.0.0.1, {PROXY}/32",
            "login_max_failures": PER_ADDRESS,
            "viewer_password_max_failures_per_ip": PER_ADDRESS,
        }
    )


@pytest.fixture
def client_from(app: FastAPI) -> ClientFrom:
    @asynccontextmanager
    async def open_client(ip: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(ip, 43000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http

    return open_client


async def _login(http: httpx.AsyncClient, email: str, password: str, forwarded: str) -> httpx.Response:
    return await http.post(
        "/api/auth/login", json={"email": email, "password": password}, headers={"X-Forwarded-For": forwarded}
    )


async def _register(http: httpx.AsyncClient, event_id: str, password: str, forwarded: str) -> httpx.Response:
    body = {"eventId": event_id, "clientViewerId": new_client_viewer_id(), "password": password}
    return await http.post(
        "/api/registrations", json=body, headers={"User-Agent": DESKTOP_UA, "X-Forwarded-For": forwarded}
    )


async def test_a_caller_reaching_the_instance_directly_cannot_pick_its_address(
    factory: Factory, client_from: ClientFrom
) -> None:
    owner = await factory.admin(email="direct@example.com")
    async with client_from("198.51.100.60") as attacker:  # not a listed proxy: its header is ignored
        for n in range(PER_ADDRESS):
            guess = await _login(attacker, owner.email, f"wrong {n}", f"192.0.2.{n + 1}")
            assert_error(guess, 401, "invalid_credentials")
        stopped = await _login(attacker, owner.email, ADMIN_PASSWORD, "192.0.2.99")
        assert_error(stopped, 429, "too_many_requests")


async def test_behind_a_trusted_proxy_the_hop_it_saw_counts_not_what_the_client_wrote(
    factory: Factory, client_from: ClientFrom
) -> None:
    owner = await factory.admin(email="behind@example.com")
    async with client_from(PROXY) as proxy:
        # The client wrote its own X-Forwarded-For; the proxy appended the address it saw (and a trusted hop).
        for n in range(PER_ADDRESS):
            forwarded = f"192.0.2.{n + 1}, 198.51.100.61, 127.0.0.1"
            assert_error(await _login(proxy, owner.email, f"wrong {n}", forwarded), 401, "invalid_credentials")
        stopped = await _login(proxy, owner.email, ADMIN_PASSWORD, "192.0.2.99, 198.51.100.61")
        assert_error(stopped, 429, "too_many_requests")

        other_viewer = await _login(proxy, owner.email, ADMIN_PASSWORD, "198.51.100.62")  # another real client
        assert other_viewer.status_code == 200, other_viewer.text


async def test_the_admission_lane_counts_the_same_address(
    factory: Factory, owner: AdminLogin, client_from: ClientFrom
) -> None:
    event = await factory.open_event(owner, accessType="password", accessPassword=PASSWORD)
    async with client_from(PROXY) as proxy:
        for n in range(PER_ADDRESS):
            forwarded = f"192.0.2.{n + 1}, 198.51.100.63"
            assert_error(await _register(proxy, event["eventId"], f"guess {n}", forwarded), 403, "wrong_password")
        stopped = await _register(proxy, event["eventId"], PASSWORD, "192.0.2.50, 198.51.100.63")
        assert_error(stopped, 429, "too_many_requests")
    async with client_from("198.51.100.64") as direct:  # direct: a forged proxy hop is not believed either
        for n in range(PER_ADDRESS):
            forged = f"198.51.100.{n + 70}"
            assert_error(await _register(direct, event["eventId"], f"guess {n}", forged), 403, "wrong_password")
        assert_error(await _register(direct, event["eventId"], PASSWORD, "198.51.100.80"), 429, "too_many_requests")
