"""Profiles: five per account (never six, even in parallel), a 4-digit PIN whose tries are counted before they are
compared, kids profiles that cannot open a PIN profile, the account settings or a checkout, and avatars made
with Pillow (junk refused)."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
import pytest
from PIL import Image

from golive.platform.settings import Settings
from tests.commerce.conftest import TINY_LADDER, loopback  # noqa: F401  (the local provider's checkout)
from tests.commerce.support import paid_event, pay
from tests.identity.accounts.conftest import Accounts
from tests.live_server import free_port
from tests.support import AdminLogin, Factory, assert_error, new_client_viewer_id


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"host": "127.0.0.1", "port": free_port(), "ladder": TINY_LADDER})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def profiles_of(client: httpx.AsyncClient, token: str) -> list[dict[str, Any]]:
    response = await client.get("/api/account/profiles", headers=bearer(token))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def add(client: httpx.AsyncClient, token: str, **body: Any) -> httpx.Response:
    return await client.post("/api/account/profiles", json={"name": "Kid", **body}, headers=bearer(token))


async def select(client: httpx.AsyncClient, token: str, profile_id: str, pin: str | None = None) -> httpx.Response:
    body = {"pin": pin} if pin is not None else None
    return await client.post(f"/api/account/profiles/{profile_id}/select", json=body, headers=bearer(token))


async def test_an_account_starts_with_one_profile_and_never_holds_more_than_five_even_in_parallel(
    client: httpx.AsyncClient, accounts: Accounts
) -> None:
    token = await accounts.signed_up("ada@example.com")
    first = await profiles_of(client, token)
    assert [(p["name"], p["isKids"], p["hasPin"], p["avatarUrl"]) for p in first] == [("Ada", False, False, None)]

    answers = await asyncio.gather(*(add(client, token, name=f"Person {n}") for n in range(10)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] * 4 + [409] * 6
    refused = next(answer for answer in answers if answer.status_code == 409)
    assert_error(refused, 409, "profile_limit")
    assert "at most 5 profiles" in refused.json()["error"]["message"]
    assert len(await profiles_of(client, token)) == 5

    gone = first[0]["profileId"]
    assert (await client.delete(f"/api/account/profiles/{gone}", headers=bearer(token))).status_code == 204
    assert (await add(client, token, name="Room for one")).status_code == 201
    assert_error(await add(client, token, name="One too many"), 409, "profile_limit")

    other = await accounts.signed_up("bob@example.com")
    mine = (await profiles_of(client, token))[0]["profileId"]
    assert_error(await select(client, other, mine), 404, "profile_not_found")
    for bad in ({"name": " "}, {"name": "x" * 41}, {"language": "english!"}, {"pin": "12345"}, {"maxRating": "X"}):
        assert_error(await add(client, other, **bad), 422, "validation_error")


async def test_a_pin_profile_asks_for_its_pin_and_parallel_guesses_get_no_more_tries_than_the_limit(
    client: httpx.AsyncClient, accounts: Accounts
) -> None:
    token = await accounts.signed_up("ada@example.com")
    created = await add(client, token, name="Grown-up", pin="4321")
    assert created.status_code == 201 and created.json()["hasPin"] is True
    locked = created.json()["profileId"]
    assert_error(await select(client, token, locked), 403, "wrong_pin")
    right = await select(client, token, locked, "4321")
    assert right.status_code == 200 and right.json()["current"] is True
    me = (await client.get("/api/account", headers=bearer(token))).json()
    assert me["profileId"] == locked and me["kids"] is False

    guesses = await asyncio.gather(*(select(client, token, locked, f"{n:04d}") for n in range(1000, 1020)))
    codes = [guess.json()["error"]["code"] for guess in guesses]
    assert codes.count("wrong_pin") == 5 and codes.count("too_many_requests") == 15, codes
    throttled = next(guess for guess in guesses if guess.status_code == 429)
    assert int(throttled.headers["Retry-After"]) > 0
    assert (await select(client, token, locked, "4321")).status_code == 429  # even the right PIN waits now

    cleared = await client.patch(f"/api/account/profiles/{locked}", json={"pin": None}, headers=bearer(token))
    assert cleared.status_code == 200 and cleared.json()["hasPin"] is False
    renamed = await client.patch(f"/api/account/profiles/{locked}", json={"name": "Mum"}, headers=bearer(token))
    assert renamed.json()["name"] == "Mum" and renamed.json()["hasPin"] is False  # an unsent pin is kept as it is


async def test_a_kids_profile_cannot_open_a_pin_profile_the_account_settings_or_a_checkout(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    token = await accounts.signed_up("ada@example.com")
    grown = (await add(client, token, name="Grown-up", pin="4321")).json()["profileId"]
    kid = await add(client, token, name="Sam", isKids=True, maxRating="PG")
    assert kid.json()["isKids"] is True and kid.json()["maxRating"] == "PG"
    assert (await select(client, token, kid.json()["profileId"])).status_code == 200

    assert_error(await select(client, token, grown, "4321"), 403, "kids_profile")
    for method, path in (
        ("GET", "/api/account/sessions"),
        ("GET", "/api/account/export"),
        ("PATCH", "/api/account"),
        ("POST", "/api/account/profiles"),
        ("DELETE", "/api/account"),
    ):
        body = {"name": "Hacked"} if method in ("PATCH", "POST") else None
        refused = await client.request(method, path, json=body, headers=bearer(token))
        assert_error(refused, 403, "kids_profile")
    assert (await client.get("/api/account", headers=bearer(token))).json()["kids"] is True

    event = await paid_event(factory, owner)
    admitted = await client.post(
        "/api/registrations",
        json={"eventId": event["eventId"], "clientViewerId": new_client_viewer_id()},
        headers=bearer(token),
    )
    assert admitted.json()["requiresPayment"] is True
    assert_error(await pay(factory, event["eventId"], admitted.json()["token"]), 403, "kids_profile")

    # an adult profile (with its PIN, from a profile without one) opens them again
    adult = (await profiles_of(client, token))[0]["profileId"]
    assert (await select(client, token, adult)).status_code == 200
    assert (await client.get("/api/account/sessions", headers=bearer(token))).status_code == 200


def image_bytes(kind: str, size: tuple[int, int] = (600, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(out, format=kind)
    return out.getvalue()


async def test_an_uploaded_avatar_is_made_a_256_pixel_webp_and_junk_is_refused(
    client: httpx.AsyncClient, accounts: Accounts
) -> None:
    token = await accounts.signed_up("ada@example.com")
    profile = (await profiles_of(client, token))[0]["profileId"]
    path = f"/api/account/profiles/{profile}/avatar"
    headers = {**bearer(token), "Content-Type": "image/png"}
    for junk in (b"not an image at all", image_bytes("PNG")[:200], b""):
        refused = await client.put(path, content=junk, headers=headers)
        assert refused.status_code in (415, 422), refused.text
    assert (await profiles_of(client, token))[0]["avatarUrl"] is None  # nothing kept

    for kind in ("PNG", "JPEG", "WEBP"):
        stored = await client.put(
            path, content=image_bytes(kind), headers={**bearer(token), "Content-Type": f"image/{kind.lower()}"}
        )
        assert stored.status_code == 200, stored.text
    url = stored.json()["avatarUrl"]
    assert url.startswith(path)
    served = await client.get(url, headers=bearer(token))
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    with Image.open(io.BytesIO(served.content)) as avatar:
        assert avatar.format == "WEBP" and avatar.size == (256, 256)
    assert_error(await client.get(url), 401, "not_signed_in")
    other = await accounts.signed_up("bob@example.com")
    assert_error(await client.get(url, headers=bearer(other)), 404, "profile_not_found")
