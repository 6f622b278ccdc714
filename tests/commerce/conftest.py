"""Payments tests: the app also listens on a real loopback port (in the test's own event loop), because
the local provider delivers its signed webhooks over HTTP to /api/webhooks/local like a real provider."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import uvicorn
from fastapi import FastAPI

from golive.platform.settings import RenditionSpec, Settings
from tests.live_server import free_port

TINY_LADDER = [RenditionSpec(name="180p", height=180, video_kbps=200, audio_kbps=64)]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Nothing listens on the port until a test asks for `loopback`: the provider's deliveries then fail
    (and are queued for a retry nobody runs), which tests that send their own webhooks want."""
    return settings.model_copy(
        update={"host": "127.0.0.1", "port": free_port(), "ladder": TINY_LADDER, "segment_seconds": 1}
    )


@pytest.fixture
async def loopback(app: FastAPI, settings: Settings) -> AsyncIterator[str]:
    """The test app on settings.port: the local provider's deliveries (and checkout URLs) reach it."""
    config = uvicorn.Config(app, host="127.0.0.1", port=settings.port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    yield settings.base_url
    server.should_exit = True
    await task
