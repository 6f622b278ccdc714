"""Concurrent viewers of an event as a stream of server-sent events, fed by the real-time broker."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from golive.engagement.analytics.ingest import live_stats_channel, live_stats_message
from golive.platform.errors import TooManyRequests
from golive.platform.realtime import Realtime

# with no message for this long the count is read again: viewers also leave by simply going silent
RECOUNT_SECONDS = 10.0
# what a client refused a stream is told to wait: streams end when pages close, rarely sooner
STREAM_RETRY_AFTER_SECONDS = 30


class StreamSlot:
    """One open stream; releasing twice is harmless (the generator's end and the response's end both do)."""

    def __init__(self, streams: StreamsPerIp, ip: str) -> None:
        self._streams = streams
        self._ip = ip
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._streams.release(self._ip)


class StreamsPerIp:
    """Open live-stats streams per client IP in this process: each holds a connection and a broker
    subscription for as long as the page stays open, so one address may not hold an unbounded number."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: dict[str, int] = {}

    def acquire(self, ip: str) -> StreamSlot:
        held = self._open.get(ip, 0)
        if held >= self.limit:
            raise TooManyRequests(
                f"This address already has {held} live viewer-count streams open; close one and retry",
                retry_after=STREAM_RETRY_AFTER_SECONDS,
            )
        self._open[ip] = held + 1
        return StreamSlot(self, ip)

    def release(self, ip: str) -> None:
        left = self._open.get(ip, 0) - 1
        if left > 0:
            self._open[ip] = left
        else:
            self._open.pop(ip, None)

    def open_streams(self, ip: str) -> int:
        return self._open.get(ip, 0)


@dataclass(frozen=True)
class StreamAccess:
    """A viewer's stream: `allowed()` (access.decide) is asked again every `every_seconds`; once it says
    no, the stream ends (within every_seconds + RECOUNT_SECONDS, under a minute)."""

    allowed: Callable[[], Awaitable[bool]]
    every_seconds: float


async def live_stats_events(
    realtime: Realtime, event_id: str, slot: StreamSlot | None = None, access: StreamAccess | None = None
) -> AsyncIterator[dict[str, str]]:
    """The current count at once, then every change published by any app instance. `slot` is given
    back when the stream ends (client gone, server stopping, a viewer's access gone)."""
    try:
        async for message in _counts(realtime, event_id, access):
            yield message
    finally:
        if slot is not None:
            slot.release()


async def _counts(realtime: Realtime, event_id: str, access: StreamAccess | None) -> AsyncIterator[dict[str, str]]:
    async with realtime.broker.subscribe(live_stats_channel(event_id)) as messages:
        last = await realtime.presence.count(event_id)
        yield {"event": "viewers", "data": live_stats_message(event_id, last)}
        checked = time.monotonic()
        while True:
            if access is not None and time.monotonic() - checked >= access.every_seconds:
                if not await access.allowed():
                    return
                checked = time.monotonic()
            try:
                data = await asyncio.wait_for(messages.get(), RECOUNT_SECONDS)
            except TimeoutError:
                count = await realtime.presence.count(event_id)
                if count == last:
                    continue
                last, data = count, live_stats_message(event_id, count)
            else:
                last = json.loads(data)["concurrentViewers"]
            yield {"event": "viewers", "data": data}
