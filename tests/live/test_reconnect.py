"""Encoders drop and come back: within the reconnect window the broadcast continues (a discontinuity, no
reload), after it an auto-end event ends; a server restart mid-event leaves no process behind and the
encoder continues on the next server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import m3u8
import pytest
from sqlalchemy import update

from golive.events import service as events_service
from golive.events.models import EventStatus
from golive.live import publishing
from golive.live.models import IngestState, LiveInput
from golive.platform.db import utcnow
from tests import hls_strict
from tests.live.conftest import (
    LiveSite,
    _live_site,
    fetch_text,
    live_test_settings,
    publish,
    relative,
    transcoder_children,
    viewer_token,
    wait_for,
)

pytestmark = pytest.mark.timeout(150)

FAST = {"live_reconnect_window_seconds": 6, "live_window_seconds": 3}


@pytest.fixture(scope="module")
async def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveSite]:
    """A short reconnect window and live window, so windows expire and discontinuities slide out quickly."""
    settings = live_test_settings(database_url, tmp_path_factory.mktemp("reconnect"), **FAST)
    async for live_site in _live_site(settings):
        yield live_site


async def state_is(site: LiveSite, event_id: str, state: str) -> bool:
    return bool((await site.live_input(event_id))["state"] == state)


async def live_media_url(site: LiveSite, event_id: str) -> str:
    token = await viewer_token(site, event_id)
    response = await site.http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["isLive"], response.text
    master_url: str = response.json()["playbackUrl"]
    master = hls_strict.parse(await fetch_text(site, master_url))
    return relative(master_url, master.playlists[0].uri)


async def test_a_reconnect_within_the_window_continues_the_broadcast_after_a_discontinuity(
    site: LiveSite, publisher_logs: Path
) -> None:
    event = await site.live_event(title="Flaky uplink")
    event_id, key = event["eventId"], event["input"]["streamKey"]
    first = await publish(f"{site.rtmp_base}/{key}", publisher_logs, seconds=30)
    await wait_for(lambda: _is_live(site, event_id), timeout=20, what="the event to go live")
    media_url = await live_media_url(site, event_id)
    await asyncio.sleep(2)
    before = hls_strict.parse(await fetch_text(site, media_url))
    first.stop()  # the connection drops
    await wait_for(lambda: state_is(site, event_id, "reconnecting"), timeout=10, what="reconnecting")
    assert transcoder_children() == []
    assert (await site.event(event_id))["status"] == "live"

    second = await publish(f"{site.rtmp_base}/{key}", publisher_logs, seconds=30)
    try:
        await wait_for(lambda: state_is(site, event_id, "connected"), timeout=10, what="the encoder to be back")

        async def continued() -> m3u8.M3U8 | None:
            playlist = hls_strict.parse(await fetch_text(site, media_url))
            return playlist if any(s.discontinuity for s in playlist.segments) else None

        after = await wait_for(continued, timeout=15, what="new segments after a discontinuity")
        # Same playlist URL, numbering carried on: players keep going without a reload.
        assert after.media_sequence >= before.media_sequence
        first_new = next(s for s in after.segments if s.discontinuity)
        assert first_new.uri not in {s.uri for s in before.segments}
        assert "#EXT-X-DISCONTINUITY-SEQUENCE:0" in await fetch_text(site, media_url)

        async def slid_out() -> bool:
            text = await fetch_text(site, media_url)
            return "#EXT-X-DISCONTINUITY-SEQUENCE:1" in text and "#EXT-X-DISCONTINUITY\n" not in text

        # ffmpeg 5.1 never counts discontinuities that left the window; the served playlist does.
        await wait_for(slid_out, timeout=20, what="the discontinuity to leave the live window")
        dvr = await fetch_text(site, media_url.replace("/index.m3u8", "/dvr.m3u8"))
        assert "#EXT-X-DISCONTINUITY\n" in dvr and "#EXT-X-DISCONTINUITY-SEQUENCE:0" in dvr
    finally:
        second.stop()
        await second.wait()
    story_event[0] = event_id


story_event: list[str] = [""]


async def _is_live(site: LiveSite, event_id: str) -> bool:
    return bool((await site.event(event_id))["status"] == "live")


async def test_after_the_window_an_auto_end_event_ends(site: LiveSite) -> None:
    event_id = story_event[0]
    assert event_id, "runs after the reconnect test"

    async def ended() -> bool:
        return bool((await site.event(event_id))["status"] == "ended")

    window = site.ctx.settings.live_reconnect_window_seconds
    await wait_for(ended, timeout=window + 10, what="the window to expire and the event to end")
    entries = await site.automation(event_id)
    post_stop = next(e for e in entries if e["action"] == "transition.ended")
    assert post_stop["triggerType"] == "postStop" and "did not reconnect" in post_stop["details"]["reason"]
    assert (await site.live_input(event_id))["state"] == "ended"


async def test_without_auto_end_the_event_stays_live_and_the_input_goes_idle(
    site: LiveSite, publisher_logs: Path
) -> None:
    event = await site.live_event(title="Manual end", autoEnd=False)
    event_id = event["eventId"]
    publisher = await publish(f"{site.rtmp_base}/{event['input']['streamKey']}", publisher_logs, seconds=3)
    await wait_for(lambda: _is_live(site, event_id), timeout=20, what="the event to go live")
    await publisher.wait()
    window = site.ctx.settings.live_reconnect_window_seconds
    await wait_for(lambda: state_is(site, event_id, "idle"), timeout=window + 10, what="idle after the window")
    assert (await site.event(event_id))["status"] == "live"


async def test_an_auto_end_that_failed_once_is_retried_on_the_next_tick(
    site: LiveSite, publisher_logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = await site.live_event(title="Auto end retried")
    event_id = event["eventId"]
    publisher = await publish(f"{site.rtmp_base}/{event['input']['streamKey']}", publisher_logs, seconds=3)
    await wait_for(lambda: _is_live(site, event_id), timeout=20, what="the event to go live")
    await publisher.wait()
    transition = events_service.transition
    refused: list[str] = []

    async def database_hiccup(session: Any, target_id: str, to: EventStatus, *args: Any, **kwargs: Any) -> Any:
        if target_id == event_id and to == EventStatus.ENDED and not refused:
            refused.append(target_id)
            raise OSError("the database went away for a moment")
        return await transition(session, target_id, to, *args, **kwargs)

    monkeypatch.setattr(events_service, "transition", database_hiccup)

    async def ended() -> bool:
        return bool((await site.event(event_id))["status"] == "ended")

    window = site.ctx.settings.live_reconnect_window_seconds
    await wait_for(ended, timeout=window + 10, what="the event to end after all")
    assert refused == [event_id]


async def test_a_publisher_whose_server_died_is_taken_over_as_reconnecting(site: LiveSite) -> None:
    event = await site.live_event(title="Crashed node")
    async with site.ctx.db.sessionmaker() as session:
        await session.execute(
            update(LiveInput)
            .where(LiveInput.event_id == event["eventId"])
            .values(
                state=IngestState.CONNECTED,
                publisher_id="gone-node:1",
                publisher_seen_at=utcnow().replace(year=2020),
            )
        )
        await session.commit()
    await publishing.expire_reconnect_windows(site.ctx)
    live_input = await site.live_input(event["eventId"])
    assert live_input["state"] in ("reconnecting", "idle")
    entries = await site.automation(event["eventId"])
    assert any(e["action"] == "ingest.lost" for e in entries)


async def test_a_server_restart_mid_event_leaves_no_process_and_the_encoder_continues(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, publisher_logs: Path
) -> None:
    # A long window: the restart (and a slow machine) must not outlast it.
    settings = live_test_settings(database_url, tmp_path_factory.mktemp("restart"), live_reconnect_window_seconds=60)
    first_site = _live_site(settings)
    site = await anext(first_site)
    event = await site.live_event(title="Restart")
    event_id, key = event["eventId"], event["input"]["streamKey"]
    url = f"{site.rtmp_base}/{key}"
    encoder = await publish(url, publisher_logs, seconds=30)
    await wait_for(lambda: _is_live(site, event_id), timeout=20, what="the event to go live")
    media_url = await live_media_url(site, event_id)
    with pytest.raises(StopAsyncIteration):
        await anext(first_site)  # the server shuts down
    assert await encoder.wait(timeout=10) != 0
    assert transcoder_children() == []

    restarted = _live_site(settings, empty=False)
    site = await anext(restarted)
    try:
        owner = site.owner
        live_input: dict[str, Any] = (
            await site.http.get(f"/api/events/{event_id}/live-input", headers=owner.headers)
        ).json()
        assert live_input["state"] == "reconnecting"
        again = await publish(url, publisher_logs, seconds=30)
        try:

            async def continued() -> bool:
                return "#EXT-X-DISCONTINUITY\n" in await fetch_text(site, media_url)

            await wait_for(continued, timeout=20, what="the broadcast to continue after the restart")
            assert (await site.event(event_id))["status"] == "live"
        finally:
            again.stop()
            await again.wait()
    finally:
        with pytest.raises(StopAsyncIteration):
            await anext(restarted)
    assert transcoder_children() == []
