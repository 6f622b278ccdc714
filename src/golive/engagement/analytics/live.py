"""Concurrent viewers of an event as a stream of server-sent events, fed by the real-time broker."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from golive.engagement.analytics.access_checks import AccessChecks
from golive.engagement.analytics.ingest import live_stats_channel, live_stats_message
from golive.platform.errors import AppError, TooManyRequests
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
    """A viewer's stream: their rights are asked again every checks.every_seconds (no read while the
    viewer's last check is fresh) and at once when one of their grants is revoked; once refused, the stream
    sends a `refused` event (the refusal's status and error body, reason in details.reason) and ends."""

    checks: AccessChecks
    viewer_id: str
    event_id: str
    heard: int  # the revocations heard when the stream was decided (checks.heard)

    async def refusal(self) -> AppError | None:
        try:
            await self.checks.require_rights(self.viewer_id, self.event_id)
        except AppError as refused:  # the rights are gone, or the event with them
            return refused
        return None


async def live_stats_events(
    realtime: Realtime, event_id: str, slot: StreamSlot | None = None, access: StreamAccess | None = None
) -> AsyncIterator[dict[str, str]]:
    """The current count at once, then every change published by any app instance. `slot` is given
    back when the stream ends (client gone, server stopping, a viewer's access gone)."""
    try:
        if access is None:
            async for message in _counts(realtime, event_id, None, None):
                yield message
        else:
            with access.checks.revocations_of(access.viewer_id) as revoked:
                if access.checks.heard != access.heard:
                    revoked.set()  # one came between the decision and this stream's start: decide again
                async for message in _counts(realtime, event_id, access, revoked):
                    yield message
    finally:
        if slot is not None:
            slot.release()


def refused_event(refused: AppError) -> dict[str, str]:
    return {"event": "refused", "data": json.dumps({"status": refused.status_code, **refused.body()})}


async def _counts(
    realtime: Realtime, event_id: str, access: StreamAccess | None, revoked: asyncio.Event | None
) -> AsyncIterator[dict[str, str]]:
    async with realtime.broker.subscribe(live_stats_channel(event_id)) as messages:
        last = await realtime.presence.count(event_id)
        yield {"event": "viewers", "data": live_stats_message(event_id, last)}
        checked = time.monotonic()
        while True:
            if access is not None and revoked is not None and _due(revoked, checked, access.checks.every_seconds):
                revoked.clear()
                refused = await access.refusal()
                if refused is not None:
                    yield refused_event(refused)
                    return
                checked = time.monotonic()
            data = await _next_message(messages, revoked)
            if data is None:
                if revoked is not None and revoked.is_set():
                    continue  # a revocation woke the stream: decide now
                count = await realtime.presence.count(event_id)
                if count == last:
                    continue
                last, data = count, live_stats_message(event_id, count)
            else:
                last = json.loads(data)["concurrentViewers"]
            yield {"event": "viewers", "data": data}


def _due(revoked: asyncio.Event, checked: float, every_seconds: float) -> bool:
    return revoked.is_set() or time.monotonic() - checked >= every_seconds


async def _next_message(messages: asyncio.Queue[str], revoked: asyncio.Event | None) -> str | None:
    """The next published count, or None after RECOUNT_SECONDS of silence or once `revoked` is set."""
    if revoked is None:
        try:
            return await asyncio.wait_for(messages.get(), RECOUNT_SECONDS)
        except TimeoutError:
            return None
    getting = asyncio.ensure_future(messages.get())
    woken = asyncio.ensure_future(revoked.wait())
    try:
        await asyncio.wait((getting, woken), timeout=RECOUNT_SECONDS, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in (getting, woken):
            waiter.cancel()
    return getting.result() if getting.done() and not getting.cancelled() else None
