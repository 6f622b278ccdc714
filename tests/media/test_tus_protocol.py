"""tus 1.0.0 through the HTTP API: core, creation, termination, expiration, and every error status."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from golive.media import service
from golive.media.models import Upload
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.settings import Settings
from tests.support import AdminLogin, Factory, assert_error

from .uploading import OCTETS, TUS_VERSION, create_upload, send_chunk, tus_metadata


@pytest.fixture
async def event_id(factory: Factory, owner: AdminLogin) -> str:
    event = await factory.event(owner)
    return str(event["eventId"])


@pytest.fixture
async def location(client: httpx.AsyncClient, owner: AdminLogin, event_id: str) -> str:
    created = await create_upload(client, owner, event_id, 1000)
    assert created.status_code == 201, created.text
    return created.headers["location"]


async def upload_count(ctx: AppContext) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Upload)) or 0)


async def head(client: httpx.AsyncClient, owner: AdminLogin, location: str) -> httpx.Response:
    return await client.head(location, headers={**owner.headers, **TUS_VERSION})


async def test_options_lists_version_extensions_and_max_size(
    client: httpx.AsyncClient, event_id: str, settings: Settings
) -> None:
    response = await client.options(f"/api/events/{event_id}/uploads")

    assert response.status_code == 204
    assert response.headers["tus-version"] == "1.0.0"
    assert set(response.headers["tus-extension"].split(",")) == {"creation", "termination", "expiration"}
    assert response.headers["tus-max-size"] == str(settings.upload_max_bytes)


async def test_creation_answers_201_with_a_location_and_an_expiry(
    client: httpx.AsyncClient, owner: AdminLogin, event_id: str
) -> None:
    response = await create_upload(client, owner, event_id, 1000, filename="talk.mp4")

    assert response.status_code == 201
    assert response.headers["location"].startswith("/api/uploads/")
    assert response.headers["tus-resumable"] == "1.0.0"
    assert response.headers["upload-expires"].endswith("GMT")
    status = await head(client, owner, response.headers["location"])
    assert status.status_code == 200
    assert (status.headers["upload-offset"], status.headers["upload-length"]) == ("0", "1000")
    assert status.headers["cache-control"] == "no-store"
    assert status.headers["upload-metadata"] == tus_metadata(filename="talk.mp4", filetype="video/mp4")


async def test_chunks_append_in_order_and_head_reports_the_offset(
    client: httpx.AsyncClient, owner: AdminLogin, location: str
) -> None:
    first = await send_chunk(client, owner, location, 0, b"a" * 300)
    second = await send_chunk(client, owner, location, 300, b"b" * 200)

    assert (first.status_code, first.headers["upload-offset"]) == (204, "300")
    assert (second.status_code, second.headers["upload-offset"]) == (204, "500")
    assert second.headers["tus-resumable"] == "1.0.0" and "upload-expires" in second.headers
    assert (await head(client, owner, location)).headers["upload-offset"] == "500"


async def test_a_wrong_offset_is_a_conflict_and_changes_nothing(
    client: httpx.AsyncClient, owner: AdminLogin, location: str
) -> None:
    await send_chunk(client, owner, location, 0, b"a" * 100)

    response = await send_chunk(client, owner, location, 50, b"b" * 100)

    error = assert_error(response, 409, "offset_mismatch")
    assert error["details"] == {"uploadOffset": 100}
    assert response.headers["tus-resumable"] == "1.0.0"
    assert (await head(client, owner, location)).headers["upload-offset"] == "100"


async def test_a_body_past_the_upload_length_is_refused_whole(
    client: httpx.AsyncClient, owner: AdminLogin, location: str
) -> None:
    await send_chunk(client, owner, location, 0, b"a" * 900)

    assert_error(await send_chunk(client, owner, location, 900, b"b" * 101), 413, "upload_too_large")

    async def streamed() -> object:
        yield b"c" * 60
        yield b"c" * 60

    chunked = await client.patch(
        location,
        content=streamed(),  # no Content-Length: the overflow is only seen while streaming
        headers={**owner.headers, **TUS_VERSION, "Upload-Offset": "900", "Content-Type": OCTETS},
    )
    assert_error(chunked, 413, "upload_too_large")
    assert (await head(client, owner, location)).headers["upload-offset"] == "900"


async def test_an_upload_larger_than_the_server_accepts_is_refused_at_creation(
    app: object, client: httpx.AsyncClient, owner: AdminLogin, event_id: str, settings: Settings
) -> None:
    response = await create_upload(client, owner, event_id, settings.upload_max_bytes + 1)

    assert_error(response, 413, "upload_too_large")


async def test_a_patch_with_another_content_type_is_unsupported(
    client: httpx.AsyncClient, owner: AdminLogin, location: str
) -> None:
    response = await client.patch(
        location,
        content=b"abc",
        headers={**owner.headers, **TUS_VERSION, "Upload-Offset": "0", "Content-Type": "application/octet-stream"},
    )

    assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("version", [None, "0.2.2", "1.0"])
async def test_every_request_must_speak_tus_1_0_0(
    client: httpx.AsyncClient, owner: AdminLogin, location: str, event_id: str, version: str | None
) -> None:
    headers = {**owner.headers, **({"Tus-Resumable": version} if version else {})}
    requests = [
        client.head(location, headers=headers),
        client.patch(location, content=b"a", headers={**headers, "Upload-Offset": "0", "Content-Type": OCTETS}),
        client.delete(location, headers=headers),
        client.post(f"/api/events/{event_id}/uploads", headers={**headers, "Upload-Length": "10"}),
    ]
    for request in requests:
        response = await request
        assert response.status_code == 412
        assert response.headers["tus-version"] == "1.0.0"
        if response.request.method != "HEAD":
            assert_error(response, 412, "tus_version_unsupported")


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "invalid_tus_header"),
        ({"Upload-Length": "-1"}, "invalid_tus_header"),
        ({"Upload-Length": "ten"}, "invalid_tus_header"),
        ({"Upload-Length": "10", "Upload-Defer-Length": "1"}, "invalid_tus_header"),
        ({"Upload-Length": "10", "Upload-Metadata": "filename not-base64!"}, "invalid_tus_metadata"),
        ({"Upload-Length": "10", "Upload-Metadata": "filename YQ==,filename YQ=="}, "invalid_tus_metadata"),
    ],
)
async def test_malformed_creation_headers_are_bad_requests(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    owner: AdminLogin,
    event_id: str,
    headers: dict[str, str],
    code: str,
) -> None:
    response = await client.post(f"/api/events/{event_id}/uploads", headers={**owner.headers, **TUS_VERSION, **headers})

    assert_error(response, 400, code)
    assert await upload_count(app_ctx) == 0


async def test_a_patch_without_a_valid_offset_is_a_bad_request(
    client: httpx.AsyncClient, owner: AdminLogin, location: str
) -> None:
    headers = {**owner.headers, **TUS_VERSION, "Content-Type": OCTETS}
    assert_error(await client.patch(location, content=b"a", headers=headers), 400, "invalid_tus_header")
    bad = {**headers, "Upload-Offset": "x"}
    assert_error(await client.patch(location, content=b"a", headers=bad), 400, "invalid_tus_header")


async def test_a_file_name_is_required(
    app_ctx: AppContext, client: httpx.AsyncClient, owner: AdminLogin, event_id: str
) -> None:
    response = await client.post(
        f"/api/events/{event_id}/uploads", headers={**owner.headers, **TUS_VERSION, "Upload-Length": "10"}
    )

    assert assert_error(response, 422, "validation_error")["details"]["fields"] == {
        "filename": "required in Upload-Metadata"
    }


async def test_termination_removes_the_bytes_and_the_upload(
    app_ctx: AppContext, client: httpx.AsyncClient, owner: AdminLogin, location: str, settings: Settings
) -> None:
    await send_chunk(client, owner, location, 0, b"a" * 100)

    response = await client.delete(location, headers={**owner.headers, **TUS_VERSION})

    assert response.status_code == 204 and response.headers["tus-resumable"] == "1.0.0"
    assert_error(await send_chunk(client, owner, location, 100, b"a"), 404, "upload_not_found")
    assert (await head(client, owner, location)).status_code == 404
    assert list(settings.upload_dir.iterdir()) == []
    assert await upload_count(app_ctx) == 0


async def test_an_expired_upload_is_gone_and_cleaned_up(
    app_ctx: AppContext, client: httpx.AsyncClient, owner: AdminLogin, location: str, settings: Settings
) -> None:
    await send_chunk(client, owner, location, 0, b"a" * 100)
    async with app_ctx.db.sessionmaker() as session:
        await session.execute(update(Upload).values(expires_at=utcnow() - timedelta(seconds=1)))
        await session.commit()

    assert_error(await send_chunk(client, owner, location, 100, b"a"), 404, "upload_not_found")
    async with app_ctx.db.sessionmaker() as session:
        assert await service.expire_uploads(session, settings) == [location.rsplit("/", 1)[1]]
    assert list(settings.upload_dir.iterdir()) == []
    assert await upload_count(app_ctx) == 0


async def test_uploads_need_an_editor(client: httpx.AsyncClient, event_id: str, location: str) -> None:
    assert_error(
        await client.post(f"/api/events/{event_id}/uploads", headers={**TUS_VERSION, "Upload-Length": "10"}),
        401,
        "not_authenticated",
    )
    patch = await client.patch(
        location, content=b"a", headers={**TUS_VERSION, "Upload-Offset": "0", "Content-Type": OCTETS}
    )
    assert_error(patch, 401, "not_authenticated")


async def test_only_on_demand_events_take_uploads(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    live = await factory.event(owner, eventType="live")

    assert_error(await create_upload(client, owner, live["eventId"], 10), 409, "not_a_vod_event")
    assert_error(await create_upload(client, owner, "01HNOSUCHEVENT", 10), 404, "event_not_found")
