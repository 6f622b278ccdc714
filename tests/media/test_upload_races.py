"""Uploads against the event's state and against each other: closed events take no video, and a file
completed by several PATCHes at once becomes exactly one asset with one transcode job."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from golive.media.models import MediaAsset, Upload
from golive.platform.context import AppContext
from golive.platform.jobs import huey
from tests.support import AdminLogin, Factory, assert_error

from .uploading import create_upload, send_chunk

MakeVideo = Callable[..., Path]


async def count(ctx: AppContext, model: type[MediaAsset] | type[Upload]) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def move(http: httpx.AsyncClient, admin: AdminLogin, event_id: str, *targets: str) -> None:
    for target in targets:
        response = await http.post(f"/api/events/{event_id}/transitions", json={"to": target}, headers=admin.headers)
        assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("path", "status"), [(("cancelled",), "cancelled"), (("scheduled", "live", "ended", "archived"), "archived")]
)
async def test_a_cancelled_or_archived_event_takes_no_upload(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    factory: Factory,
    owner: AdminLogin,
    path: tuple[str, ...],
    status: str,
) -> None:
    event = await factory.event(owner)
    await move(client, owner, event["eventId"], *path)

    error = assert_error(await create_upload(client, owner, event["eventId"], 1000), 409, "event_not_uploadable")

    assert error["details"] == {"eventId": event["eventId"], "status": status}
    assert await count(app_ctx, Upload) == 0


@pytest.mark.parametrize("closing", ["cancel", "delete"])
async def test_an_upload_in_flight_is_refused_once_its_event_is_cancelled_or_deleted(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    factory: Factory,
    owner: AdminLogin,
    make_video: MakeVideo,
    closing: str,
) -> None:
    data = make_video().read_bytes()
    event = await factory.event(owner)
    location = (await create_upload(client, owner, event["eventId"], len(data))).headers["location"]
    assert (await send_chunk(client, owner, location, 0, data[:1000])).status_code == 204
    if closing == "cancel":
        await move(client, owner, event["eventId"], "cancelled")
    else:
        deleted = await client.delete(f"/api/events/{event['eventId']}", headers=owner.headers)
        assert deleted.status_code == 204

    error = assert_error(await send_chunk(client, owner, location, 1000, data[1000:]), 409, "event_not_uploadable")

    assert error["details"]["status"] == ("cancelled" if closing == "cancel" else "deleted")
    assert await count(app_ctx, MediaAsset) == 0
    assert await count(app_ctx, Upload) == 0  # the bytes can never become a video: they are discarded


async def test_concurrent_patches_completing_the_file_start_one_transcode(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    """A retried or duplicated final PATCH (tus clients retry on timeouts) while the first is still probing."""
    data = make_video().read_bytes()
    event = await factory.event(owner)
    location = (await create_upload(client, owner, event["eventId"], len(data))).headers["location"]
    last = len(data) - 1000
    assert (await send_chunk(client, owner, location, 0, data[:last])).status_code == 204
    huey.flush()
    finished = asyncio.Event()

    async def finish() -> list[httpx.Response]:
        response = await send_chunk(client, owner, location, last, data[last:])
        finished.set()
        return [response]

    async def complete_again() -> list[httpx.Response]:
        """PATCHes at the full length with an empty body, until the upload has been accepted."""
        responses = []
        while not finished.is_set() or len(responses) < 3:
            responses.append(await send_chunk(client, owner, location, len(data), b""))
        return responses

    results = await asyncio.gather(finish(), *(complete_again() for _ in range(4)))

    statuses = [response.status_code for batch in results for response in batch]
    assert results[0][0].status_code == 204
    assert set(statuses) <= {204, 409}, [r.text for batch in results for r in batch if r.status_code not in {204, 409}]
    assert await count(app_ctx, MediaAsset) == 1
    assert huey.pending_count() == 1
    async with app_ctx.db.sessionmaker() as session:
        asset_id = await session.scalar(select(MediaAsset.asset_id))
        upload_asset_id = await session.scalar(select(Upload.asset_id))
    assert upload_asset_id == asset_id
