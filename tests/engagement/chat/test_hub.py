"""The hub's fan-out: a socket that stops reading is dropped (its outbox full), never the room slowed; a frame
it has not taken in time closes it as too slow."""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

import pytest
from starlette.websockets import WebSocket, WebSocketState

from golive.access.decide import Subject
from golive.engagement.chat import hub as chat_hub
from golive.engagement.chat.frames import Broadcast
from golive.engagement.chat.hub import ChatHub, Connection
from golive.engagement.chat.people import Person
from golive.platform.realtime import InProcessBroker


class FakeSocket:
    """What a Connection needs of a WebSocket; `stuck` sockets never finish a send (a client not reading)."""

    def __init__(self, stuck: bool = False) -> None:
        self.stuck = stuck
        self.sent: list[dict[str, Any]] = []
        self.closed_with: int | None = None
        self.application_state = WebSocketState.CONNECTED

    async def send_text(self, text: str) -> None:
        if self.stuck:
            await asyncio.Event().wait()
        self.sent.append(json.loads(text))

    async def close(self, code: int = 1000) -> None:
        self.closed_with = code
        self.application_state = WebSocketState.DISCONNECTED


def connection(socket: FakeSocket, name: str) -> Connection:
    return Connection(cast(WebSocket, socket), "event-1", Person(f"g:{name}", name, Subject(guest_id=name)), False)


async def test_a_socket_that_stops_reading_is_dropped_and_the_room_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_hub, "SEND_SECONDS", 0.2)
    hub = ChatHub(db=cast(Any, None), broker=InProcessBroker())
    fast, stuck = FakeSocket(), FakeSocket(stuck=True)
    readers = [connection(fast, "fast"), connection(stuck, "stuck")]
    writers = []
    for each in readers:
        await hub.join(each)
        writers.append(asyncio.create_task(each.write()))
    sent = chat_hub.OUTBOX_SIZE * 3
    for i in range(sent):
        await hub.publish("event-1", [Broadcast({"type": "message", "message": {"messageId": str(i + 1)}})])
        await asyncio.sleep(0)  # the room's reader and the writers run between posts
    for _ in range(100):
        if len(fast.sent) == sent and stuck.closed_with is not None:
            break
        await asyncio.sleep(0.02)
    assert [frame["message"]["messageId"] for frame in fast.sent] == [str(i + 1) for i in range(sent)]
    assert readers[1].close_code == chat_hub.TOO_SLOW
    assert stuck.closed_with == chat_hub.TOO_SLOW and stuck.sent == []
    assert fast.closed_with is None
    for each in readers:
        hub.leave(each)
        each.end(1000)
    await asyncio.wait_for(asyncio.gather(*writers), 2)
    assert fast.closed_with == 1000


async def test_a_reconnecting_client_does_not_get_twice_what_its_history_held() -> None:
    socket = FakeSocket()
    joined = connection(socket, "back")
    for message_id in (4, 5, 6):
        joined.offer(json.dumps({"type": "message", "message": {"messageId": str(message_id)}}))
    joined.end(1000)
    await joined.write(skip_through=5)
    assert [frame["message"]["messageId"] for frame in socket.sent] == ["6"]
