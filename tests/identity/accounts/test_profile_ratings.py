"""A profile's age limit against an event's rating: refused at the admission (nothing written) and at playback
(a rating raised later stops it), for a kids profile and not for the grown-up beside it."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from golive.access.models import Viewer
from golive.platform.context import AppContext
from tests.identity.accounts.conftest import Accounts
from tests.identity.accounts.test_account_rights import admit, bearer, plays
from tests.support import AdminLogin, Factory, assert_error, new_client_viewer_id


async def choose(client: httpx.AsyncClient, token: str, profile_id: str) -> None:
    chosen = await client.post(f"/api/account/profiles/{profile_id}/select", json={}, headers=bearer(token))
    assert chosen.status_code == 200, chosen.text


async def test_a_kids_profile_is_kept_from_events_rated_above_its_limit(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts, app_ctx: AppContext
) -> None:
    token = await accounts.signed_up("ada@example.com")
    grown_up = (await client.get("/api/account/profiles", headers=bearer(token))).json()["items"][0]["profileId"]
    kid = await client.post(
        "/api/account/profiles", json={"name": "Kid", "isKids": True, "maxRating": "PG"}, headers=bearer(token)
    )
    assert kid.status_code == 201, kid.text
    thriller = await factory.open_event(owner, title="Thriller", contentRating="R")
    cartoon = await factory.open_event(owner, title="Cartoon", contentRating="PG")
    assert thriller["contentRating"] == "R"
    assert (await client.get(f"/api/events/{thriller['eventId']}")).json()["contentRating"] == "R"  # viewers see it

    await choose(client, token, kid.json()["profileId"])
    refused = await client.post(
        "/api/registrations",
        json={"eventId": thriller["eventId"], "clientViewerId": new_client_viewer_id()},
        headers=bearer(token),
    )
    error = assert_error(refused, 403, "not_admitted")
    assert error["details"]["reason"] == "rating_restricted" and "profile" in error["message"]
    async with app_ctx.db.sessionmaker() as session:
        written = await session.scalar(
            select(func.count()).select_from(Viewer).where(Viewer.event_id == thriller["eventId"])
        )
    assert written == 0  # refused before anything was written

    browser = new_client_viewer_id()
    watching = await admit(client, cartoon["eventId"], browser, token)
    assert watching["accessVerified"] is True
    assert (await plays(client, cartoon["eventId"], watching["token"])).status_code == 201
    # the organizer rates it higher: the kids profile's next request is refused
    raised = await client.put(
        f"/api/events/{cartoon['eventId']}", json={"contentRating": "PG-13"}, headers=owner.headers
    )
    assert raised.status_code == 200, raised.text
    stopped = await plays(client, cartoon["eventId"], watching["token"])
    assert assert_error(stopped, 403, "not_admitted")["details"]["reason"] == "rating_restricted"

    shelf = (await client.get("/api/account/library", headers=bearer(token))).json()["items"]
    assert {item["title"]: item["state"] for item in shelf} == {"Cartoon": "restricted"}  # the kid's library says so

    await choose(client, token, grown_up)  # the grown-up on the same device watches both
    assert (await plays(client, cartoon["eventId"], watching["token"])).status_code == 201
    assert (await admit(client, thriller["eventId"], browser, token))["accessVerified"] is True
    cleared = await client.put(f"/api/events/{cartoon['eventId']}", json={"contentRating": None}, headers=owner.headers)
    assert cleared.json()["contentRating"] is None
    bad = await client.put(f"/api/events/{cartoon['eventId']}", json={"contentRating": "NC-17"}, headers=owner.headers)
    assert_error(bad, 422, "validation_error")
