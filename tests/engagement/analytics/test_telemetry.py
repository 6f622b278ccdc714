"""Player telemetry: sessions open for admitted viewers, events are checked whole, rollups land in a flush."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select

from golive.access.models import Viewer
from golive.app import create_app
from golive.engagement.analytics.models import PlaybackEvent, PlaybackSession
from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.conftest import CLIENT_IP, SHUTDOWN_TIMEOUT
from tests.engagement.analytics.conftest import (
    COUNTRY_HEADER,
    SAFARI_ON_IPHONE,
    Clock,
    admitted_player,
    heartbeat,
    live_event,
    vod_event,
)
from tests.support import AdminLogin, Factory, assert_error


async def stored(ctx: AppContext, session_id: str) -> PlaybackSession:
    async with ctx.db.sessionmaker() as session:
        row = await session.get(PlaybackSession, session_id)
    assert row is not None
    return row


async def raw_event_count(ctx: AppContext) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(PlaybackEvent)) or 0)


async def test_a_session_is_enriched_with_device_and_geoip_location(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    player = await admitted_player(factory, await live_event(factory, owner))
    response = await player.open()
    assert response.status_code == 201, response.text
    assert response.json()["heartbeatSeconds"] == app_ctx.settings.playback_heartbeat_seconds
    row = await stored(app_ctx, player.session_id)
    assert (row.device_type, row.browser, row.os) == ("desktop", "Chrome", "Windows")
    assert row.device_info["browserVersion"] == "126"
    assert row.location == {"country": "NL", "city": "Amsterdam"}
    assert row.country == "NL"
    async with app_ctx.db.sessionmaker() as session:
        viewer = await session.get(Viewer, player.viewer_id)
    assert viewer is not None and viewer.total_sessions == 1


async def test_a_configured_cdn_country_header_wins_and_unknown_values_are_ignored(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    player = await admitted_player(factory, await live_event(factory, owner))
    await player.open(**{COUNTRY_HEADER: "de", "User-Agent": SAFARI_ON_IPHONE})
    row = await stored(app_ctx, player.session_id)
    assert (row.country, row.location["city"], row.device_type, row.browser) == ("DE", None, "mobile", "Mobile Safari")
    await player.open(**{COUNTRY_HEADER: "XX"})
    assert (await stored(app_ctx, player.session_id)).country == "NL"


async def test_events_roll_up_into_the_session_and_the_viewer_in_one_flush(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    player = await admitted_player(factory, await vod_event(factory, owner, app_ctx, duration=600))
    await player.open()
    clock.advance(40)
    response = await player.send(
        {"type": "start", "position": 0, "played": 0, "startupMs": 850, "rendition": "480p", "bitrateKbps": 1400},
        {"type": "renditionSwitch", "position": 4, "played": 4, "rendition": "720p", "bitrateKbps": 2800},
        heartbeat(10, 10),
        {"type": "rebufferStart", "position": 12, "played": 12},
        {"type": "rebufferEnd", "position": 12, "played": 12, "durationMs": 1500},
        {"type": "seek", "position": 100, "played": 20},
        {"type": "error", "position": 101, "played": 21, "code": "fragLoadError", "message": "404", "fatal": False},
        {"type": "pause", "position": 130, "played": 30},
    )
    assert response.status_code == 202, response.text
    assert response.json() == {"accepted": 8}
    assert await raw_event_count(app_ctx) == 0  # buffered, not yet written
    await runtime.ingest.flush()
    assert await raw_event_count(app_ctx) == 8
    row = await stored(app_ctx, player.session_id)
    assert (row.startup_ms, row.duration, row.rebuffer_count, row.rebuffer_ms) == (850, 30, 1, 1500)
    assert (row.rendition_switches, row.rendition, row.bitrate_kbps) == (1, "720p", 2800)
    assert (row.error_count, row.fatal_error, row.last_position, row.max_position) == (1, False, 130, 130)
    assert row.end_time is None and row.media_duration == 600

    clock.advance(20)
    await player.send(heartbeat(140, 40), {"type": "end", "position": 600, "played": 45, "reason": "completed"})
    await runtime.ingest.flush()
    row = await stored(app_ctx, player.session_id)
    assert (row.duration, row.end_reason, row.finished, row.end_time) == (45, "completed", True, clock.now)
    async with app_ctx.db.sessionmaker() as session:
        viewer = await session.get(Viewer, player.viewer_id)
    assert viewer is not None and (viewer.total_sessions, viewer.total_watch_time) == (1, 45)


async def test_sendbeacon_may_carry_the_token_in_the_body(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime
) -> None:
    player = await admitted_player(factory, await live_event(factory, owner))
    await player.open()
    body = json.dumps(
        {"token": player.token, "events": [{"type": "end", "position": 3, "played": 3, "reason": "stopped"}]}
    )
    response = await factory.http.post(
        f"/api/playback/sessions/{player.session_id}/events", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 202, response.text
    await runtime.ingest.flush()
    assert (await stored(app_ctx, player.session_id)).end_reason == "stopped"


BAD_BATCHES: list[tuple[str, Any, str]] = [
    ("unknown type", [{"type": "teleport", "position": 1, "played": 1}], "events.0"),
    ("negative position", [heartbeat(-1, 1)], "events.0.heartbeat.position"),
    ("past the video's end", [heartbeat(1, 1), heartbeat(611, 2)], "events.1.position"),
    ("more playing time than wall time", [heartbeat(5, 500)], "events.0.played"),
    ("oversized batch", [heartbeat(1, 1)] * 101, "events"),
    ("empty batch", [], "events"),
    ("missing field", [{"type": "heartbeat", "position": 1}], "events.0.heartbeat.played"),
    ("unknown field", [heartbeat(1, 1, viewerCount=5)], "events.0.heartbeat.viewerCount"),
    (
        "end before other events",
        [{"type": "end", "position": 1, "played": 1, "reason": "stopped"}, heartbeat(1, 1)],
        "events.0.type",
    ),
]


@pytest.mark.parametrize(("case", "events", "field"), BAD_BATCHES, ids=[b[0] for b in BAD_BATCHES])
async def test_an_impossible_batch_is_refused_whole_and_nothing_is_stored(
    factory: Factory,
    owner: AdminLogin,
    app_ctx: AppContext,
    runtime: AnalyticsRuntime,
    case: str,
    events: list[dict[str, Any]],
    field: str,
) -> None:
    player = await admitted_player(factory, await vod_event(factory, owner, app_ctx, duration=600))
    await player.open()
    response = await player.send(*events)
    error = assert_error(response, 422, "validation_error")
    assert field in error["details"]["fields"], error
    await runtime.ingest.flush()
    assert await raw_event_count(app_ctx) == 0
    assert (await stored(app_ctx, player.session_id)).last_position is None


async def test_nan_positions_are_refused(factory: Factory, owner: AdminLogin, app_ctx: AppContext) -> None:
    player = await admitted_player(factory, await live_event(factory, owner))
    await player.open()
    body = '{"events": [{"type": "heartbeat", "position": NaN, "played": 1, "bufferSeconds": 1}]}'
    response = await factory.http.post(
        f"/api/playback/sessions/{player.session_id}/events",
        content=body,
        headers={**player.headers, "Content-Type": "application/json"},
    )
    assert_error(response, 422, "validation_error")


async def test_sessions_are_only_written_to_by_their_own_viewer(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime
) -> None:
    event_id = await live_event(factory, owner)
    alice, bob = await admitted_player(factory, event_id), await admitted_player(factory, event_id)
    await alice.open()
    assert_error(await bob.send(heartbeat(1, 1), session_id=alice.session_id), 403, "playback_session_forbidden")
    assert_error(
        await alice.send(heartbeat(1, 1), session_id="01HZZZZZZZZZZZZZZZZZZZZZZZ"), 404, "playback_session_not_found"
    )
    no_token = await factory.http.post(
        f"/api/playback/sessions/{alice.session_id}/events", json={"events": [heartbeat(1, 1)]}
    )
    assert_error(no_token, 401, "viewer_token_missing")
    other_event = await admitted_player(factory, await live_event(factory, owner))
    other_event.event_id = event_id
    assert_error(await other_event.open(), 403, "viewer_token_other_event")
    await runtime.ingest.flush()
    assert await raw_event_count(app_ctx) == 0


async def test_an_ended_session_takes_no_more_events(
    factory: Factory, owner: AdminLogin, runtime: AnalyticsRuntime
) -> None:
    player = await admitted_player(factory, await live_event(factory, owner))
    await player.open()
    assert (await player.send({"type": "end", "position": 2, "played": 2, "reason": "stopped"})).status_code == 202
    assert_error(await player.send(heartbeat(3, 3)), 409, "playback_session_closed")
    await runtime.ingest.flush()
    assert_error(await player.send(heartbeat(3, 3)), 409, "playback_session_closed")


async def test_viewers_who_have_not_passed_the_gate_cannot_open_sessions(factory: Factory, owner: AdminLogin) -> None:
    event_id = await live_event(factory, owner)
    response = await factory.http.post("/api/playback/sessions", json={"eventId": event_id})
    assert_error(response, 401, "viewer_token_missing")


async def test_a_clean_shutdown_writes_what_is_still_buffered(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, settings: Settings
) -> None:
    event_id = await live_event(factory, owner)
    player = await admitted_player(factory, event_id)
    instance = create_app(settings.model_copy(update={"telemetry_flush_seconds": 3600.0}))
    async with LifespanManager(instance, shutdown_timeout=SHUTDOWN_TIMEOUT):
        transport = httpx.ASGITransport(app=instance, client=(CLIENT_IP, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://other") as http:
            player.http = http
            await player.open()
            assert (await player.send(heartbeat(5, 5), heartbeat(10, 9))).status_code == 202
        assert await raw_event_count(app_ctx) == 0
    assert await raw_event_count(app_ctx) == 2
    assert (await stored(app_ctx, player.session_id)).duration == 9
