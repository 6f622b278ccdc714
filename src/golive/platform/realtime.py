"""Real-time fan-out (counters now; chat and status later): a broker and a presence counter.

Both have an in-process implementation for one `golive serve`, and a Redis one (pub/sub, sorted sets)
used when GOLIVE_REDIS_URL is set, so every app instance publishes to and counts the same thing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

log = logging.getLogger("golive.platform.realtime")

# a subscriber that falls this far behind loses the oldest messages, never blocks the publisher
SUBSCRIBER_QUEUE_SIZE = 100


class Broker(Protocol):
    async def publish(self, channel: str, message: str) -> None: ...

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[asyncio.Queue[str]]: ...

    async def close(self) -> None: ...


class Presence(Protocol):
    """Who is here now: members seen within the window count, older ones expire on their own."""

    async def touch(self, group: str, members: Iterable[str], now: float | None = None) -> None: ...

    async def leave(self, group: str, members: Iterable[str]) -> None: ...

    async def count(self, group: str, now: float | None = None) -> int: ...


class LocalFanout:
    """This process's subscribers of each channel, each with its own bounded queue."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[str]]] = defaultdict(set)

    def add(self, channel: str) -> tuple[asyncio.Queue[str], bool]:
        """The new subscriber's queue, and whether it is the channel's first here."""
        queue: asyncio.Queue[str] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        first = not self._queues[channel]
        self._queues[channel].add(queue)
        return queue, first

    def remove(self, channel: str, queue: asyncio.Queue[str]) -> bool:
        """Whether the channel has no subscriber left here."""
        queues = self._queues.get(channel)
        if queues is None:
            return True
        queues.discard(queue)
        if not queues:
            del self._queues[channel]
            return True
        return False

    def deliver(self, channel: str, message: str) -> None:
        for queue in self._queues.get(channel, ()):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(message)


class InProcessBroker:
    def __init__(self) -> None:
        self._fanout = LocalFanout()

    async def publish(self, channel: str, message: str) -> None:
        self._fanout.deliver(channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[str]]:
        queue, _ = self._fanout.add(channel)
        try:
            yield queue
        finally:
            self._fanout.remove(channel, queue)

    async def close(self) -> None:
        return None


class RedisBroker:
    """One Redis pub/sub connection per process, whatever the number of local subscribers."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._pubsub: PubSub = redis.pubsub(ignore_subscribe_messages=True)
        self._fanout = LocalFanout()
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def publish(self, channel: str, message: str) -> None:
        await self._redis.publish(channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[str]]:
        async with self._lock:
            queue, first = self._fanout.add(channel)
            if first:
                await self._pubsub.subscribe(channel)
            if self._reader is None:
                self._reader = asyncio.create_task(self._read(), name="golive-redis-broker")
        try:
            yield queue
        finally:
            async with self._lock:
                if self._fanout.remove(channel, queue):
                    await self._pubsub.unsubscribe(channel)

    async def _read(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a dropped connection: redis-py reconnects on the next call
                log.warning("redis broker read failed: %s", exc)
                await asyncio.sleep(1.0)
                continue
            if message is None or message.get("type") != "message":
                continue
            channel, data = message["channel"], message["data"]
            self._fanout.deliver(
                channel.decode() if isinstance(channel, bytes) else str(channel),
                data.decode() if isinstance(data, bytes) else str(data),
            )

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._pubsub.aclose()  # type: ignore[no-untyped-call]


class InProcessPresence:
    def __init__(self, window_seconds: float) -> None:
        self._window = window_seconds
        self._seen: dict[str, dict[str, float]] = defaultdict(dict)

    async def touch(self, group: str, members: Iterable[str], now: float | None = None) -> None:
        stamp = time.time() if now is None else now
        seen = self._seen[group]
        for member in members:
            seen[member] = stamp

    async def leave(self, group: str, members: Iterable[str]) -> None:
        seen = self._seen.get(group, {})
        for member in members:
            seen.pop(member, None)

    async def count(self, group: str, now: float | None = None) -> int:
        oldest = (time.time() if now is None else now) - self._window
        seen = self._seen.get(group)
        if not seen:
            return 0
        for member in [m for m, stamp in seen.items() if stamp < oldest]:
            del seen[member]
        if not seen:
            del self._seen[group]
            return 0
        return len(seen)


class RedisPresence:
    """A sorted set per group, scored by last-seen time; the key itself expires once nobody is left."""

    def __init__(self, redis: Redis, window_seconds: float, prefix: str = "golive:presence:") -> None:
        self._redis = redis
        self._window = window_seconds
        self._prefix = prefix

    async def touch(self, group: str, members: Iterable[str], now: float | None = None) -> None:
        stamp = time.time() if now is None else now
        mapping = {member: stamp for member in members}
        if not mapping:
            return
        key = self._prefix + group
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zadd(key, mapping)
            pipe.zremrangebyscore(key, "-inf", stamp - self._window)
            pipe.expire(key, int(self._window * 2) + 1)
            await pipe.execute()

    async def leave(self, group: str, members: Iterable[str]) -> None:
        names = list(members)
        if names:
            await self._redis.zrem(self._prefix + group, *names)

    async def count(self, group: str, now: float | None = None) -> int:
        oldest = (time.time() if now is None else now) - self._window
        return int(await self._redis.zcount(self._prefix + group, f"({oldest}", "+inf"))


@dataclass
class Realtime:
    """The broker and presence of one app instance: in-process, or Redis when a URL is configured."""

    broker: Broker
    presence: Presence
    redis: Redis | None = None

    @classmethod
    def from_settings(cls, redis_url: str, presence_window_seconds: float) -> Realtime:
        if not redis_url:
            return cls(InProcessBroker(), InProcessPresence(presence_window_seconds))
        redis = Redis.from_url(redis_url)
        return cls(RedisBroker(redis), RedisPresence(redis, presence_window_seconds), redis)

    async def close(self) -> None:
        await self.broker.close()
        if self.redis is not None:
            await self.redis.aclose()
