"""A playback session ended on one instance takes no more telemetry on any other (they share one Redis)."""

from __future__ import annotations

import asyncio
import time

from tests.engagement.analytics.conftest import admitted_player, heartbeat, live_event
from tests.engagement.analytics.test_live_counters import Instance, redis_url, two_instances
from tests.support import AdminLogin, Factory, assert_error

__all__ = ["redis_url", "two_instances"]  # the fixtures this module uses


async def test_a_session_ended_on_one_instance_is_refused_on_the_other(
    factory: Factory, owner: AdminLogin, two_instances: tuple[Instance, Instance]
) -> None:
    first, second = two_instances
    event_id = await live_event(factory, owner)
    player = await admitted_player(factory, event_id)
    player.http = first.http
    assert (await player.open()).status_code == 201
    player.http = second.http  # the load balancer sends its next requests to the other instance
    assert (await player.send(heartbeat(1, 0.5))).status_code == 202  # now cached there as open

    player.http = first.http
    assert (await player.send({"type": "end", "position": 1, "played": 1, "reason": "stopped"})).status_code == 202

    deadline = time.monotonic() + 5  # the broker's delivery, not the 60 s cache recheck
    while not (info := await second.runtime.ingest.sessions.get(player.session_id)) or not info.closed:
        assert time.monotonic() < deadline, "the other instance never heard that the session ended"
        await asyncio.sleep(0.02)
    player.http = second.http
    assert_error(await player.send(heartbeat(2, 1)), 409, "playback_session_closed")
