"""This instance's chat sockets, the fan-out that reaches every instance's, and the once-a-second ticker.

Each room with a socket here holds one subscription to its broker channel (in process, or Redis pub/sub when
GOLIVE_REDIS_URL is set), so a message posted on any instance reaches every socket in the order the broker
carried it. Each socket has a bounded outbox: a client that cannot keep up is dropped, never the room slowed
(Owncast's rule). Revoked grants (`access.revocations`) have the sockets of those viewers decided again.
The ticker sends each room's reactions and moved poll results at most once a second, and ends polls whose
time is up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from golive.access import revocations
from golive.engagement.chat import polls, reactions
from golive.engagement.chat.frames import Broadcast
from golive.engagement.chat.models import PollStatus
from golive.engagement.chat.people import Person
from golive.engagement.chat.rules import TokenBucket
from golive.platform.db import Database, utcnow
from golive.platform.realtime import Broker

log = logging.getLogger("golive.engagement.chat")

CHANNEL_PREFIX = "golive:chat:"
OUTBOX_SIZE = 256  # frames a socket may have waiting before it is dropped as too slow
MESSAGE_FRAME = '{"type": "message"'
TOO_SLOW = 1013  # "try again later": the client reconnects with the last id it saw
SEND_SECONDS = 10.0
TICK_SECONDS = 1.0


@dataclass(eq=False)
class Connection:
    websocket: WebSocket
    event_id: str
    person: Person
    moderator: bool
    outbox: asyncio.Queue[str | None] = field(default_factory=lambda: asyncio.Queue(OUTBOX_SIZE))
    close_code: int | None = None

    def offer(self, frame: str) -> None:
        """Queues a frame; a full outbox drops the client."""
        if self.close_code is not None:
            return
        try:
            self.outbox.put_nowait(frame)
        except asyncio.QueueFull:
            self.end(TOO_SLOW)

    def end(self, code: int) -> None:
        """Closes after what is queued (a ban's frame first); a full outbox is emptied first."""
        if self.close_code is not None:
            return
        self.close_code = code
        while self.outbox.full():
            self.outbox.get_nowait()
        self.outbox.put_nowait(None)

    async def write(self, skip_through: int = 0) -> None:
        """Sends the outbox until the connection ends, then closes the socket with its code. The first
        messages up to `skip_through` are skipped: the history sent on joining held them already. A frame
        the client has not taken within SEND_SECONDS ends it as too slow (a client that stopped reading)."""
        try:
            while (frame := await self.outbox.get()) is not None:
                if skip_through and frame.startswith(MESSAGE_FRAME):
                    if int(json.loads(frame)["message"]["messageId"]) <= skip_through:
                        continue
                    skip_through = 0
                async with asyncio.timeout(SEND_SECONDS):  # a timer, not a task per frame
                    await self.websocket.send_text(frame)
        except TimeoutError:
            self.close_code = TOO_SLOW
        if self.websocket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.websocket.close(self.close_code or 1000), SEND_SECONDS)


@dataclass
class _Room:
    connections: set[Connection] = field(default_factory=set)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None


Recheck = Callable[[Connection], Coroutine[None, None, None]]


class ChatHub:
    def __init__(self, db: Database, broker: Broker) -> None:
        self._db = db
        self._broker = broker
        self._rooms: dict[str, _Room] = {}
        self._buckets: dict[tuple[str, str, str], TokenBucket] = {}
        self._recheck: Recheck | None = None
        self._rechecks: set[asyncio.Task[None]] = set()
        self.reactions = reactions.ReactionTally()
        self._polls: dict[str, tuple[str, datetime]] = {}  # a room's running poll (as this instance heard), its end
        self._voted: set[tuple[str, str]] = set()  # (room, poll) with votes here since the last tick
        self._ticker: asyncio.Task[None] | None = None

    def start(self, recheck: Recheck) -> None:
        """`recheck` decides a socket again after one of its viewer's grants was revoked."""
        self._recheck = recheck
        self._db.notices.listen(revocations.REVOKED_TOPIC, self._revoked)
        self._ticker = asyncio.create_task(self._tick_forever(), name="golive-chat-ticker")

    async def stop(self) -> None:
        self._db.notices.unlisten(revocations.REVOKED_TOPIC, self._revoked)
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        for room in list(self._rooms.values()):
            for connection in list(room.connections):
                connection.end(1001)
            if room.reader is not None:
                room.reader.cancel()
        for task in list(self._rechecks):
            task.cancel()

    def count(self, event_id: str) -> int:
        """The sockets open here on the event's chat."""
        room = self._rooms.get(event_id)
        return len(room.connections) if room else 0

    async def join(self, connection: Connection) -> None:
        """Registers the socket; once this returns, every broadcast of the room reaches its outbox."""
        room = self._rooms.get(connection.event_id)
        if room is None:
            room = self._rooms[connection.event_id] = _Room()
            room.reader = asyncio.create_task(self._read(connection.event_id, room), name="golive-chat-room")
        room.connections.add(connection)
        await room.ready.wait()

    def leave(self, connection: Connection) -> None:
        room = self._rooms.get(connection.event_id)
        if room is None:
            return
        room.connections.discard(connection)
        if not any(c.person.person_id == connection.person.person_id for c in room.connections):
            for kind in ("messages", "reactions"):
                self._buckets.pop((connection.event_id, connection.person.person_id, kind), None)
        if not room.connections:
            del self._rooms[connection.event_id]
            if room.reader is not None:
                room.reader.cancel()

    def bucket(self, connection: Connection, kind: str = "messages") -> TokenBucket:
        """The person's budget in the room for messages (and questions) or reactions, shared by their sockets
        on this instance."""
        key = (connection.event_id, connection.person.person_id, kind)
        bucket = self._buckets.get(key)
        if bucket is None:
            if kind == "reactions":
                capacity, rate = reactions.REACTION_CAPACITY, reactions.REACTION_REFILL_PER_SECOND
                bucket = TokenBucket(capacity, rate, capacity)
            else:
                bucket = TokenBucket()
            self._buckets[key] = bucket
        return bucket

    def poll_seen(self, event_id: str, poll: dict[str, Any]) -> None:
        """Remembers the room's running poll (from its frames), so the ticker ends it on time."""
        if poll["status"] == PollStatus.ACTIVE.value:
            self._polls[event_id] = (poll["pollId"], datetime.fromisoformat(poll["endsAt"]))
        elif self._polls.get(event_id, ("",))[0] == poll["pollId"]:
            del self._polls[event_id]

    def poll_voted(self, event_id: str, poll_id: str) -> None:
        self._voted.add((event_id, poll_id))

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database away for a moment: the next tick tries again
                log.exception("the chat ticker failed")

    async def tick(self, now: datetime | None = None) -> None:
        at = now or utcnow()
        counts = self.reactions.take()
        due = [event_id for event_id, (_, ends) in self._polls.items() if ends <= at]
        voted, self._voted = self._voted, set()
        if not counts and not due and not voted:
            return
        for event_id, tally in counts.items():  # first: the bursts do not wait on the database
            await self.publish(event_id, [Broadcast({"type": "reactions", "counts": dict(tally)})])
        out: list[tuple[str, Broadcast]] = []
        async with self._db.sessionmaker() as session:
            await reactions.record(session, counts, at)
            ended: set[str] = set()
            for event_id in due:
                self._polls.pop(event_id, None)
                for poll in await polls.end_expired(session, event_id, at):
                    ended.add(poll.poll_id)
                    out.append((event_id, Broadcast({"type": "poll", "poll": await polls.shown(session, poll)})))
            for event_id, poll_id in voted - {(e, p) for e, p in voted if p in ended}:
                poll = await polls.poll_in(session, event_id, poll_id)
                out.append((event_id, Broadcast({"type": "poll", "poll": await polls.shown(session, poll)})))
            await session.commit()
        for event_id, broadcast in out:
            await self.publish(event_id, [broadcast])

    async def publish(self, event_id: str, broadcasts: Iterable[Broadcast]) -> None:
        for broadcast in broadcasts:
            try:
                await self._broker.publish(CHANNEL_PREFIX + event_id, broadcast.encode())
            except Exception:
                log.exception("a chat broadcast of event %s was not sent", event_id)

    async def _read(self, event_id: str, room: _Room) -> None:
        while True:
            try:
                async with self._broker.subscribe(CHANNEL_PREFIX + event_id) as messages:
                    room.ready.set()
                    while True:
                        broadcast = Broadcast.decode(await messages.get())
                        if broadcast.frame.get("type") == "poll":
                            self.poll_seen(event_id, broadcast.frame["poll"])
                        self._deliver(room, broadcast)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis away: keep trying; clients reconnect with the last id they saw
                log.exception("chat room %s lost its broker subscription; retrying", event_id)
                await asyncio.sleep(1.0)

    def _deliver(self, room: _Room, broadcast: Broadcast) -> None:
        frame: str | None = None
        for connection in list(room.connections):
            if broadcast.to is not None and connection.person.person_id != broadcast.to:
                continue
            if broadcast.moderators_only and not connection.moderator:
                continue
            if frame is None:
                frame = json.dumps(broadcast.frame)
            connection.offer(frame)
            if broadcast.close:
                connection.end(4403)

    def _revoked(self, message: str) -> None:
        if self._recheck is None:
            return
        viewers = set(revocations.revoked_viewers(message))
        for room in self._rooms.values():
            for connection in room.connections:
                if connection.person.viewer_id in viewers:
                    task: asyncio.Task[None] = asyncio.create_task(self._recheck(connection))
                    self._rechecks.add(task)
                    task.add_done_callback(self._rechecks.discard)
