"""Two instances on one database and one media dir: one upload has one writer at a time, whichever
instance each PATCH reaches (the scale topology's load balancer sends them anywhere)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from tests.live_server import run_server

from .test_live_uploads import admin_headers, new_event

TUS = {"Tus-Resumable": "1.0.0"}
CHUNK = 200_000


async def test_two_patches_at_one_offset_on_two_instances_write_the_chunk_once(
    database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "shared"
    extra = {"GOLIVE_EMBEDDED_WORKER": "false"}
    with (
        run_server(database_url, data_dir, log_name="one.log", **extra) as one,
        run_server(database_url, data_dir, log_name="two.log", **extra) as two,
    ):
        headers = admin_headers(one, "chunks@example.com")
        event_id = new_event(one, headers)
        created = httpx.post(
            f"{one.base_url}/api/events/{event_id}/uploads",
            headers={**headers, **TUS, "Upload-Length": str(3 * CHUNK), "Upload-Metadata": "filename Y2xpcC5tcDQ="},
        )
        assert created.status_code == 201, created.text
        path = httpx.URL(created.headers["location"]).path
        patch = {**headers, **TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}
        first, second = b"A" * CHUNK, b"B" * CHUNK
        second_answered = asyncio.Event()

        async def slow_body() -> AsyncIterator[bytes]:
            """The first PATCH starts, then its body stalls until the other instance has answered the second."""
            yield first[:1000]
            await second_answered.wait()
            yield first[1000:]

        async with httpx.AsyncClient(timeout=30) as http:
            slow = asyncio.create_task(http.patch(f"{one.base_url}{path}", content=slow_body(), headers=patch))
            await asyncio.sleep(1.5)  # instance one has taken the upload and is waiting for the rest
            racing = await http.patch(f"{two.base_url}{path}", content=second, headers=patch)
            second_answered.set()
            finished = await slow

            assert finished.status_code == 204, finished.text
            assert racing.status_code == 409, racing.text
            assert racing.json()["error"]["code"] == "upload_busy"
            for instance in (one, two):
                head = await http.head(f"{instance.base_url}{path}", headers={**headers, **TUS})
                assert head.headers["upload-offset"] == str(CHUNK)

        upload_id = path.rsplit("/", 1)[-1]
        assert (data_dir / "uploads" / upload_id).read_bytes() == first  # the chunk once, from the winner
