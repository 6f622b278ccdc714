"""NUL (and a lone surrogate in JSON) anywhere in a request is one 400 at the edge, on every endpoint and both
databases, ahead of the admission lane too; PostgreSQL could not store it, so it used to be a 500 there."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from golive.access.models import Viewer
from golive.events.models import Event
from golive.platform.context import AppContext
from tests.support import AdminLogin, Factory, assert_error, new_client_viewer_id

NUL = "a%00b"
BODY_METHODS = {"post", "put", "patch"}
PATH_PARAMETER = re.compile(r"\{[^}]+\}")


def assert_refused(response: httpx.Response) -> None:
    if response.request.method == "HEAD":  # no body to read
        assert response.status_code == 400
    else:
        assert_error(response, 400, "unstorable_text")


def every_operation(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every operation the OpenAPI document lists."""
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return [(method, path) for path, operations in paths.items() for method in operations if method != "options"]


async def event_count(ctx: AppContext) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Event)) or 0)


async def viewer_count(ctx: AppContext) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Viewer)) or 0)


async def test_the_anonymous_endpoints_of_the_report_refuse_nul_in_the_path(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    await factory.open_event(owner)
    for path in (f"/api/events/{NUL}", f"/embed/{NUL}", f"/e/{NUL}", f"/api/events/{NUL}/live-stats"):
        error = assert_error(await client.get(path), 400, "unstorable_text")
        assert error["details"] == {"in": "path"}


async def test_nul_in_any_path_parameter_of_any_operation_is_refused(
    app: FastAPI, client: httpx.AsyncClient, owner: AdminLogin
) -> None:
    operations = [(method, path) for method, path in every_operation(app) if PATH_PARAMETER.search(path)]
    assert len(operations) > 20
    for method, template in operations:
        response = await client.request(method, PATH_PARAMETER.sub(NUL, template), headers=owner.headers)
        assert_refused(response)


async def test_nul_in_the_query_of_any_operation_is_refused(
    app: FastAPI, client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event = await factory.event(owner)
    for method, template in every_operation(app):
        path = PATH_PARAMETER.sub(event["eventId"], template)
        response = await client.request(method, f"{path}?q={NUL}&format={NUL}", headers=owner.headers)
        assert_refused(response)


@pytest.mark.parametrize("poison", ["a\u0000b", "\ud800", "x\udfffy"], ids=["nul", "lone-high", "lone-low"])
async def test_unstorable_text_in_any_json_body_is_refused_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, owner: AdminLogin, factory: Factory, app_ctx: AppContext, poison: str
) -> None:
    event = await factory.open_event(owner)
    events_before = await event_count(app_ctx)
    body = {"title": poison, "description": poison, "email": poison, "to": poison, "eventId": event["eventId"]}
    # the stdlib encoder writes "\ud800" as an escape, as a browser's JSON.stringify does
    content = json.dumps(body).encode()
    headers = {**owner.headers, "Content-Type": "application/json"}
    for method, template in every_operation(app):
        if method not in BODY_METHODS or template.startswith("/api/uploads/"):  # tus takes no JSON
            continue
        path = PATH_PARAMETER.sub(event["eventId"], template)
        assert_error(await client.request(method, path, content=content, headers=headers), 400, "unstorable_text")
    assert await event_count(app_ctx) == events_before
    fetched = await client.get(f"/api/events/{event['eventId']}", headers=owner.headers)
    assert fetched.json()["title"] == event["title"]


@pytest.mark.parametrize(
    "field", ["clientViewerId", "name", "email", "formData", "accessPassword"], ids=lambda f: str(f)
)
async def test_the_admission_lane_refuses_nul_before_admitting(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, field: str
) -> None:
    event = await factory.open_event(owner)
    value: Any = {"company": "a\u0000b"} if field == "formData" else "a\u0000b"
    assert_error(await factory.register(event["eventId"], **{field: value}), 400, "unstorable_text")
    assert await viewer_count(app_ctx) == 0
    assert (await factory.register(event["eventId"], new_client_viewer_id())).status_code == 200


async def test_nul_in_a_header_or_a_form_body_is_refused(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner)
    payload = {"eventId": event["eventId"], "clientViewerId": new_client_viewer_id()}
    response = await client.post("/api/registrations", json=payload, headers={"User-Agent": "Mozilla\x00/5.0"})
    assert_error(response, 400, "unstorable_text")
    assert await viewer_count(app_ctx) == 0
    form = await client.post(
        "/api/ingest/on_publish?secret=x",
        content=b"name=glk_a%00b&addr=127.0.0.1&call=publish",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_error(form, 400, "unstorable_text")


async def test_ordinary_escapes_and_text_still_pass(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    """A `\\u` escape of a real character, an emoji as a surrogate pair and a literal backslash-u all arrive."""
    body = b'{"title": "Caf\\u00e9 \\ud83d\\ude00 C:\\\\users"}'
    response = await client.post(
        "/api/events", content=body, headers={**owner.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "Caf\u00e9 \U0001f600 C:\\users"
