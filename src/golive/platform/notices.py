"""Notices every app instance hears: what a committed unit of work changed that caches elsewhere rely on.

A notice (topic + message) is delivered to this instance's listeners at once, then published on the
realtime broker (Redis when several instances run) for the others, which deliver it to theirs. Listeners
are plain functions (drop a cache entry, wake a waiter): they run inside the publisher's await, so they
must not block or do I/O.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable

from golive.platform.realtime import Broker

log = logging.getLogger("golive.platform.notices")

NOTICES_CHANNEL = "golive:notices"

Listener = Callable[[str], None]


class Notices:
    def __init__(self) -> None:
        self._origin = uuid.uuid4().hex  # this instance: its own notices come back from the broker, and are skipped
        self._listeners: dict[str, list[Listener]] = defaultdict(list)
        self._broker: Broker | None = None
        self._reader: asyncio.Task[None] | None = None

    def listen(self, topic: str, listener: Listener) -> None:
        self._listeners[topic].append(listener)

    def unlisten(self, topic: str, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners[topic].remove(listener)

    async def publish(self, topic: str, message: str) -> None:
        """Here first (before the publisher goes on), then to the other instances. A broker outage is
        logged, not raised: what caused the notice is committed already."""
        self._deliver(topic, message)
        if self._broker is None:
            return
        try:
            await self._broker.publish(
                NOTICES_CHANNEL, json.dumps({"origin": self._origin, "topic": topic, "message": message})
            )
        except Exception:
            log.warning("notice %s not sent to the other instances", topic, exc_info=True)

    def relay(self, broker: Broker) -> None:
        """Sends this instance's notices through `broker` and hears the other instances' there."""
        self._broker = broker
        self._reader = asyncio.create_task(self._hear(broker), name="golive-notices")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        self._reader = self._broker = None

    async def _hear(self, broker: Broker) -> None:
        while True:
            try:
                async with broker.subscribe(NOTICES_CHANNEL) as messages:
                    while True:
                        notice = json.loads(await messages.get())
                        if notice.get("origin") != self._origin:
                            self._deliver(str(notice["topic"]), str(notice["message"]))
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis away: keep trying (the caches' own expiry still bounds what they keep)
                log.exception("listening for other instances' notices failed; retrying")
                await asyncio.sleep(1.0)

    def _deliver(self, topic: str, message: str) -> None:
        for listener in list(self._listeners.get(topic, ())):
            try:
                listener(message)
            except Exception:
                log.exception("a listener of notice %s failed", topic)
