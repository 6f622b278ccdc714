"""Chat test helpers: the app on a real port, and a chat client over a real WebSocket (the `websockets` library)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from golive.platform.settings import Settings
from tests.live_server import free_port
from tests.support import AdminLogin, Factory

FRAME_TIMEOUT = 10.0
# a form gate asking a name: the name the chat shows
NAME_FORM = [{"name": "name", "label": "Name", "type": "text", "required": True}]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"host": "127.0.0.1", "port": free_port()})


@asynccontextmanager
async def served(app: FastAPI, port: int) -> AsyncIterator[str]:
    """The app on a loopback port (its lifespan is the test's); yields the ws:// base."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def ws_base(app: FastAPI, settings: Settings) -> AsyncIterator[str]:
    async with served(app, settings.port) as base:
        yield base


class ChatClient:
    """One chat socket, as the viewer app holds it."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket

    async def send(self, **frame: Any) -> None:
        await self.socket.send(json.dumps(frame))

    async def say(self, text: str, **extra: Any) -> None:
        await self.send(type="message", text=text, **extra)

    async def frame(self, timeout: float = FRAME_TIMEOUT) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.socket.recv(), timeout)
        data: dict[str, Any] = json.loads(raw)
        return data

    async def next_of(self, kind: str, timeout: float = FRAME_TIMEOUT) -> dict[str, Any]:
        """The next frame of a type (skipping others, e.g. messages while waiting for an error)."""
        while True:
            data = await self.frame(timeout)
            if data["type"] == kind:
                return data

    async def closed_with(self, timeout: float = FRAME_TIMEOUT) -> int | None:
        """The close code once the server closes (frames before it are read and dropped)."""
        with contextlib.suppress(TimeoutError, ConnectionClosed):
            async with asyncio.timeout(timeout):
                async for _ in self.socket:
                    pass
        return self.socket.close_code


@asynccontextmanager
async def chat(
    base: str, event_id: str, token: str | None = None, after: int | None = None, headers: dict[str, str] | None = None
) -> AsyncIterator[tuple[ChatClient, dict[str, Any], list[dict[str, Any]]]]:
    """A joined socket, with its hello frame and the history it got."""
    query = "&".join(part for part in (f"token={token}" if token else "", f"after={after}" if after else "") if part)
    url = f"{base}/api/events/{event_id}/chat/ws" + (f"?{query}" if query else "")
    async with connect(url, additional_headers=headers or {}, open_timeout=FRAME_TIMEOUT) as socket:
        client = ChatClient(socket)
        hello = await client.frame()
        history: list[dict[str, Any]] = []
        if hello["type"] == "hello":
            history = (await client.frame())["messages"]
        yield client, hello, history


async def viewer_token(factory: Factory, event_id: str, **body: Any) -> str:
    response = await factory.register(event_id, **body)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


async def live_event_id(factory: Factory, owner: AdminLogin, **fields: Any) -> str:
    event = await factory.open_event(owner, eventType="live", **fields)
    return str(event["eventId"])
