"""Event analytics that read right (issue 19, item 9): the event's own span by default, the peak's own
minute, a funnel whose paid count is the revenue block's, nobody watching once sessions close or a live
event ends, no finishes on live and no paid step on free events, and a reload that is not a second viewer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.engagement.analytics.conftest import admitted_player, heartbeat, live_event, vod_event
from tests.support import AdminLogin, Factory


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The default: a viewer's newer session supersedes the older one (the scenario's module raises it)."""
    default = Settings.model_fields["playback_max_open_sessions_per_viewer"].default
    return settings.model_copy(update={"playback_max_open_sessions_per_viewer": default})


async def dashboard(http: httpx.AsyncClient, admin: AdminLogin, event_id: str, **query: str) -> dict[str, Any]:
    response = await http.get(f"/api/analytics/{event_id}", params=query, headers=admin.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_without_a_range_the_dashboard_covers_the_events_own_span(factory: Factory, owner: AdminLogin) -> None:
    start, end = "2031-06-01T18:00:00Z", "2031-06-01T20:00:00Z"
    event = await factory.open_event(owner, eventType="live", scheduledStart=start, scheduledEnd=end)
    body = await dashboard(factory.http, owner, event["eventId"])
    assert body["from"] == start  # from the scheduled start, whatever "now" is

    for status in ("ended",):
        moved = await factory.http.post(
            f"/api/events/{event['eventId']}/transitions", json={"to": status}, headers=owner.headers
        )
        assert moved.status_code == 200, moved.text
    over = await dashboard(factory.http, owner, event["eventId"])
    assert over["from"] <= start and over["to"] >= end  # an ended event: its whole span, not "the last 7 days"


async def test_a_free_event_has_no_paid_step(factory: Factory, owner: AdminLogin, app_ctx: AppContext) -> None:
    free = await vod_event(factory, owner, app_ctx)
    await admitted_player(factory, free)
    assert (await dashboard(factory.http, owner, free))["funnel"]["paid"] is None


async def test_live_events_have_no_finishes_and_nobody_watches_once_they_end(
    factory: Factory, owner: AdminLogin, runtime: AnalyticsRuntime
) -> None:
    event_id = await live_event(factory, owner)
    player = await admitted_player(factory, event_id)
    assert (await player.open()).status_code == 201
    await player.send(heartbeat(5, 5))
    await runtime.ingest.flush()
    body = await dashboard(factory.http, owner, event_id)
    assert body["finishes"] is None and body["concurrency"]["current"] == 1

    ended = await factory.http.post(f"/api/events/{event_id}/transitions", json={"to": "ended"}, headers=owner.headers)
    assert ended.status_code == 200, ended.text
    assert (await dashboard(factory.http, owner, event_id))["concurrency"]["current"] == 0


async def test_watching_now_drops_to_zero_when_the_session_closes(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime
) -> None:
    event_id = await vod_event(factory, owner, app_ctx)
    player = await admitted_player(factory, event_id)
    await player.open()
    await player.send(heartbeat(5, 5))
    await runtime.ingest.flush()
    assert (await dashboard(factory.http, owner, event_id))["concurrency"]["current"] == 1

    await player.send({"type": "end", "position": 8, "played": 8, "reason": "stopped"})
    await runtime.ingest.flush()

    body = await dashboard(factory.http, owner, event_id)
    assert body["concurrency"]["current"] == 0 and body["finishes"] == 0


async def test_a_reload_supersedes_the_old_session_instead_of_counting_a_second_viewer(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime
) -> None:
    event_id = await vod_event(factory, owner, app_ctx)
    player = await admitted_player(factory, event_id)
    await player.open()
    first = player.session_id
    await player.send(heartbeat(5, 5))
    await runtime.ingest.flush()

    await player.open()  # the page reloaded: the same viewer, a new playback session
    await player.send(heartbeat(1, 1))
    await runtime.ingest.flush()

    body = await dashboard(factory.http, owner, event_id)
    assert body["concurrency"]["current"] == 1 and body["concurrency"]["peak"] == 1
    assert body["views"] == 2 and body["uniqueViewers"] == 1
    late = await player.send(heartbeat(9, 9), session_id=first)
    assert late.status_code == 409  # the old tab's session is over
    assert datetime.fromisoformat(body["to"]) > datetime.now(UTC) - timedelta(minutes=1)
