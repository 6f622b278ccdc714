"""The public live viewer-count stream holds a connection per page: one address may hold only so many."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from golive.platform.settings import Settings
from tests.live_server import free_port
from tests.support import AdminLogin, Factory

PER_IP = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"live_stats_max_streams_per_ip": PER_IP, "trust_proxy_headers": True})


@pytest.fixture
async def base_url(app: FastAPI) -> AsyncIterator[str]:
    """The test's app behind uvicorn on a loopback port: closing a stream must be a real disconnect."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving


async def test_one_address_may_hold_only_so_many_live_stats_streams(
    base_url: str, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.event(owner)
    url = f"/api/events/{event['eventId']}/live-stats"
    viewer = {"X-Forwarded-For": "198.51.100.20"}
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        async with contextlib.AsyncExitStack() as held:
            streams = [await held.enter_async_context(http.stream("GET", url, headers=viewer)) for _ in range(PER_IP)]
            assert [s.status_code for s in streams] == [200] * PER_IP

            refused = await http.get(url, headers=viewer)

            assert refused.status_code == 429
            assert int(refused.headers["retry-after"]) > 0
            assert refused.json()["error"]["code"] == "too_many_requests"
            async with http.stream("GET", url, headers={"X-Forwarded-For": "198.51.100.21"}) as elsewhere:
                assert elsewhere.status_code == 200  # another address is not affected

        # The pages closed: their slots come back as soon as the server notices the disconnects.
        deadline = time.monotonic() + 10
        while True:
            async with http.stream("GET", url, headers=viewer) as again:
                if again.status_code == 200 or time.monotonic() > deadline:
                    break
            await asyncio.sleep(0.1)
        assert again.status_code == 200
