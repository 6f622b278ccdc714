"""Bad requests to the live endpoints get a clear 4xx error and change nothing."""

from __future__ import annotations

import httpx
import pytest

from golive.platform.settings import Settings
from tests.support import AdminLogin, Factory, assert_error

HOOK_SECRET = "hook-secret-for-tests"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"ingest_hook_secret": HOOK_SECRET})


async def live_event(factory: Factory, owner: AdminLogin) -> str:
    event = await factory.event(owner, eventType="live")
    event_id: str = event["eventId"]
    return event_id


async def test_an_on_demand_event_has_no_live_input(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    vod = await factory.event(owner, eventType="vod")
    for method, path in (("GET", "live-input"), ("POST", "live-input/rotate")):
        response = await client.request(method, f"/api/events/{vod['eventId']}/{path}", headers=owner.headers)
        assert_error(response, 409, "not_a_live_event")
    response = await client.get("/api/events/01NOSUCHEVENT000000000000/live-input", headers=owner.headers)
    assert_error(response, 404, "event_not_found")


async def test_the_live_input_is_for_admins_only(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event_id = await live_event(factory, owner)
    assert_error(await client.get(f"/api/events/{event_id}/live-input"), 401, "not_authenticated")
    assert_error(await client.post(f"/api/events/{event_id}/live-input/rotate"), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"startSeconds": -1}, "startSeconds"),
        ({"startSeconds": "soon"}, "startSeconds"),
        ({"endSeconds": 5}, "startSeconds"),
        ({"startSeconds": 1, "endSeconds": 0}, "endSeconds"),
        ({"startSeconds": 1, "cut": True}, "cut"),
    ],
)
async def test_a_malformed_trim_names_the_field(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, body: dict[str, object], field: str
) -> None:
    event_id = await live_event(factory, owner)
    response = await client.post(f"/api/events/{event_id}/replay/trim", json=body, headers=owner.headers)
    error = assert_error(response, 422, "validation_error")
    assert field in error["details"]["fields"]


async def test_a_trim_before_there_is_a_recording_is_a_conflict(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event_id = await live_event(factory, owner)
    response = await client.post(
        f"/api/events/{event_id}/replay/trim", json={"startSeconds": 0, "endSeconds": 10}, headers=owner.headers
    )
    assert_error(response, 409, "recording_not_ready")
    headers = {**owner.headers, "Content-Type": "application/json"}
    response = await client.post(f"/api/events/{event_id}/replay/trim", content=b"{", headers=headers)
    assert_error(response, 400, "malformed_json")


async def test_the_nginx_hooks_need_the_shared_secret(client: httpx.AsyncClient) -> None:
    form = {"name": "glk_" + "0" * 40, "app": "live", "addr": "198.51.100.4", "clientid": "7"}
    assert_error(await client.post("/api/ingest/on_publish", data=form), 403, "invalid_hook_secret")
    assert_error(await client.post("/api/ingest/on_publish?secret=nope", data=form), 403, "invalid_hook_secret")
    assert_error(await client.post("/api/ingest/on_publish_done", data=form), 403, "invalid_hook_secret")


async def test_the_nginx_hooks_refuse_bad_keys_and_bad_forms(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    url = f"/api/ingest/on_publish?secret={HOOK_SECRET}"
    form = {"name": "glk_" + "0" * 40, "app": "live", "addr": "198.51.100.4", "clientid": "7"}
    assert_error(await client.post(url, data=form), 403, "invalid_key")
    assert_error(await client.post(url, data={"app": "live"}), 422, "validation_error")
    event_id = await live_event(factory, owner)
    key = (await client.get(f"/api/events/{event_id}/live-input", headers=owner.headers)).json()["streamKey"]
    assert_error(await client.post(url, data={**form, "name": key, "app": "other"}), 403, "bad_app")
    done = await client.post(f"/api/ingest/on_publish_done?secret={HOOK_SECRET}", data=form)
    assert done.status_code == 200  # an unknown client id ends nothing
    state = (await client.get(f"/api/events/{event_id}/live-input", headers=owner.headers)).json()["state"]
    assert state == "idle"
