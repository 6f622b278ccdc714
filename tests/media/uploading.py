"""Helpers for media tests: tus requests through the API, and an event's video taken to ready by a real job."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import httpx

from golive.media import transcoding
from golive.media.models import AssetStatus
from golive.platform.context import AppContext
from tests.support import AdminLogin

TUS_VERSION = {"Tus-Resumable": "1.0.0"}
OCTETS = "application/offset+octet-stream"


def tus_metadata(**values: str) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in values.items())


async def create_upload(
    http: httpx.AsyncClient, admin: AdminLogin, event_id: str, size: int, filename: str = "clip.mp4"
) -> httpx.Response:
    headers = {
        **admin.headers,
        **TUS_VERSION,
        "Upload-Length": str(size),
        "Upload-Metadata": tus_metadata(filename=filename, filetype="video/mp4"),
    }
    return await http.post(f"/api/events/{event_id}/uploads", headers=headers)


async def send_chunk(
    http: httpx.AsyncClient, admin: AdminLogin, location: str, offset: int, body: bytes
) -> httpx.Response:
    headers = {**admin.headers, **TUS_VERSION, "Upload-Offset": str(offset), "Content-Type": OCTETS}
    return await http.patch(location, content=body, headers=headers)


async def upload_file(
    http: httpx.AsyncClient, admin: AdminLogin, event_id: str, path: Path, chunk_size: int = 256 * 1024
) -> httpx.Response:
    """Uploads `path` in chunks; returns the last PATCH's response (204, or the 422 of a refused file)."""
    data = path.read_bytes()
    created = await create_upload(http, admin, event_id, len(data), filename=path.name)
    assert created.status_code == 201, created.text
    location = created.headers["location"]
    offset = 0
    while True:
        response = await send_chunk(http, admin, location, offset, data[offset : offset + chunk_size])
        if response.status_code != 204 or offset + chunk_size >= len(data):
            return response
        offset = int(response.headers["upload-offset"])


async def media_of(http: httpx.AsyncClient, admin: AdminLogin, event_id: str) -> dict[str, Any]:
    response = await http.get(f"/api/events/{event_id}/media", headers=admin.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def ready_video(
    ctx: AppContext, http: httpx.AsyncClient, admin: AdminLogin, event_id: str, source: Path
) -> dict[str, Any]:
    """Upload through tus, run the transcode job's work right here, and return GET /media of the result."""
    response = await upload_file(http, admin, event_id, source)
    assert response.status_code == 204, response.text
    asset_id = (await media_of(http, admin, event_id))["assetId"]
    assert await transcoding.run_transcode(ctx, asset_id) == AssetStatus.READY
    return await media_of(http, admin, event_id)
