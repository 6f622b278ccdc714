"""Sessions whose player vanished without an `end` are closed by the periodic job."""

from __future__ import annotations

from golive.access.models import Viewer
from golive.engagement.analytics import service
from golive.engagement.analytics.models import EndReason, PlaybackSession
from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.context import AppContext
from tests.engagement.analytics.conftest import Clock, admitted_player, heartbeat, live_event
from tests.support import AdminLogin, Factory


async def test_a_silent_session_is_closed_at_its_last_heartbeat_with_its_last_duration(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    player = await admitted_player(factory, await live_event(factory, owner))
    await player.open()
    clock.advance(30)
    await player.send(heartbeat(30, 28))
    last_heartbeat = clock.now
    await runtime.ingest.flush()
    timeout = app_ctx.settings.playback_session_timeout_seconds

    clock.advance(timeout - 1)
    assert await service.close_silent_sessions(app_ctx) == 0
    clock.advance(2)
    assert await service.close_silent_sessions(app_ctx) == 1
    assert await service.close_silent_sessions(app_ctx) == 0

    async with app_ctx.db.sessionmaker() as session:
        row = await session.get(PlaybackSession, player.session_id)
        viewer = await session.get(Viewer, player.viewer_id)
    assert row is not None and viewer is not None
    assert (row.end_time, row.end_reason, row.duration) == (last_heartbeat, EndReason.TIMEOUT, 28)
    assert (viewer.total_sessions, viewer.total_watch_time) == (1, 28)


async def test_a_session_without_any_heartbeat_is_closed_at_its_start(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, clock: Clock
) -> None:
    player = await admitted_player(factory, await live_event(factory, owner))
    await player.open()
    opened = clock.now
    clock.advance(app_ctx.settings.playback_session_timeout_seconds + 1)
    assert await service.close_silent_sessions(app_ctx) == 1
    async with app_ctx.db.sessionmaker() as session:
        row = await session.get(PlaybackSession, player.session_id)
    assert row is not None and (row.end_time, row.duration) == (opened, 0)
