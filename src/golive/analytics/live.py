"""Concurrent viewers of an event as a stream of server-sent events, fed by the real-time broker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from golive.analytics.ingest import live_stats_channel, live_stats_message
from golive.realtime import Realtime

# with no message for this long the count is read again: viewers also leave by simply going silent
RECOUNT_SECONDS = 10.0


async def live_stats_events(realtime: Realtime, event_id: str) -> AsyncIterator[dict[str, str]]:
    """The current count at once, then every change published by any app instance."""
    async with realtime.broker.subscribe(live_stats_channel(event_id)) as messages:
        last = await realtime.presence.count(event_id)
        yield {"event": "viewers", "data": live_stats_message(event_id, last)}
        while True:
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
