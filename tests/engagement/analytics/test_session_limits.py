"""A viewer keeps a bounded number of playback sessions open: the newest play wins, the oldest end."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from golive.engagement.analytics.models import EndReason, PlaybackSession
from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.engagement.analytics.conftest import admitted_player, heartbeat, live_event
from tests.support import AdminLogin, Factory, assert_error

CAP = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"playback_max_open_sessions_per_viewer": CAP})


async def sessions_of(ctx: AppContext, viewer_id: str) -> list[PlaybackSession]:
    async with ctx.db.sessionmaker() as session:
        rows = await session.scalars(
            select(PlaybackSession).where(PlaybackSession.viewer_id == viewer_id).order_by(PlaybackSession.session_id)
        )
        return list(rows)


async def test_opening_one_tab_too_many_closes_the_viewers_oldest_session(
    app_ctx: AppContext, factory: Factory, owner: AdminLogin, runtime: AnalyticsRuntime
) -> None:
    event_id = await live_event(factory, owner)
    player = await admitted_player(factory, event_id)
    opened = []
    for _ in range(CAP + 2):
        assert (await player.open()).status_code == 201
        opened.append(player.session_id)

    # The oldest tabs' next reports are refused (their players stop reporting until played again) ...
    for old in opened[:2]:
        assert_error(await player.send(heartbeat(5, 5), session_id=old), 409, "playback_session_closed")
    # ... while the newest keep working.
    for new in opened[2:]:
        assert (await player.send(heartbeat(5, 5), session_id=new)).status_code == 202
    await runtime.ingest.flush()

    rows = await sessions_of(app_ctx, player.viewer_id)
    assert [row.end_reason for row in rows] == [EndReason.REPLACED] * 2 + [None] * CAP
    assert await runtime.realtime.presence.count(event_id) == CAP
    other = await admitted_player(factory, event_id)
    assert (await other.open()).status_code == 201  # the cap is per viewer, not per event


async def test_concurrent_opens_by_one_viewer_leave_exactly_the_cap_open(
    app_ctx: AppContext, factory: Factory, owner: AdminLogin
) -> None:
    event_id = await live_event(factory, owner)
    player = await admitted_player(factory, event_id)

    responses = await asyncio.gather(
        *(
            factory.http.post("/api/playback/sessions", json={"eventId": event_id}, headers=player.headers)
            for _ in range(CAP * 3)
        )
    )

    assert [r.status_code for r in responses] == [201] * (CAP * 3)
    rows = await sessions_of(app_ctx, player.viewer_id)
    assert len(rows) == CAP * 3
    assert sum(row.end_time is None for row in rows) == CAP
