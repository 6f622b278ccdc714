"""POST /api/registrations is served ahead of FastAPI's router (platform.fastpath's FastLane):
whichever way a call goes, it gets the same answer and the same row."""

from __future__ import annotations

import json

import httpx

from golive.platform.context import AppContext
from tests.access.test_bad_input import viewer_count
from tests.support import AdminLogin, Factory, assert_error, new_client_viewer_id


async def test_every_json_media_type_reaches_the_same_viewer(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    """application/json is served by the lane; a +json type goes on to the FastAPI route. Same row, same answer."""
    event = await factory.open_event(owner)
    client_viewer_id = new_client_viewer_id()
    body = json.dumps({"eventId": event["eventId"], "clientViewerId": client_viewer_id}).encode()
    answers = [
        await client.post("/api/registrations", content=body, headers={"Content-Type": content_type})
        for content_type in ("application/json", "Application/JSON; charset=utf-8", "application/vnd.api+json")
    ]

    assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
    assert len({a.json()["viewerId"] for a in answers}) == 1
    assert all(a.json()["accessVerified"] and a.json()["token"] for a in answers)
    assert await viewer_count(app_ctx) == 1


async def test_a_body_without_a_content_type_is_refused(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner)
    body = json.dumps({"eventId": event["eventId"], "clientViewerId": new_client_viewer_id()}).encode()
    response = await client.post("/api/registrations", content=body)

    assert "content-type" not in response.request.headers
    assert_error(response, 422, "validation_error")
    assert await viewer_count(app_ctx) == 0


async def test_an_oversized_registration_is_refused_unread(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner)
    padding = "x" * (app_ctx.settings.max_request_body_bytes + 1)
    body = {"eventId": event["eventId"], "clientViewerId": new_client_viewer_id(), "password": padding}
    response = await client.post("/api/registrations", json=body)

    assert_error(response, 413, "payload_too_large")
    assert await viewer_count(app_ctx) == 0
