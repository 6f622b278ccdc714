"""What a live event's player is told (GET /live-status): waiting, live, interrupted when the encoder goes
quiet, live again when it returns, ended once the reconnect window passes (auto end, the default), and
the replay once it is ready. Auto start waits for the start time: an encoder connected early rehearses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from golive.live import recording
from golive.media import transcoding
from golive.platform.db import utcnow
from tests.live.conftest import LiveSite, _live_site, live_test_settings, publish, wait_for
from tests.support import assert_error

pytestmark = pytest.mark.timeout(240)

RECONNECT_WINDOW_SECONDS = 15


@pytest.fixture(scope="module")
async def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveSite]:
    settings = live_test_settings(
        database_url,
        tmp_path_factory.mktemp("live-status"),
        live_reconnect_window_seconds=RECONNECT_WINDOW_SECONDS,
        public_cache_seconds=0.5,
    )
    async for live_site in _live_site(settings):
        yield live_site


async def _status(site: LiveSite, event_id: str) -> dict[str, Any]:
    response = await site.http.get(f"/api/events/{event_id}/live-status")  # no credentials: any visitor
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _broadcast_is(site: LiveSite, event_id: str, state: str, timeout: float) -> dict[str, Any]:
    async def reached() -> dict[str, Any] | None:
        status = await _status(site, event_id)
        return status if status["broadcast"] == state else None

    found: dict[str, Any] = await wait_for(reached, timeout=timeout, what=f"broadcast {state}")
    return found


async def test_new_live_events_start_and_end_with_their_encoder(site: LiveSite) -> None:
    event = await site.factory.event(site.owner, eventType="live")
    assert event["autoStart"] is True and event["autoEnd"] is True


async def test_unknown_unpublished_and_on_demand_events_have_no_live_status(site: LiveSite) -> None:
    assert_error(await site.http.get("/api/events/01NOSUCHEVENT0000000000000/live-status"), 404, "event_not_found")
    draft = await site.factory.event(site.owner, eventType="live")
    assert_error(await site.http.get(f"/api/events/{draft['eventId']}/live-status"), 404, "event_not_found")
    vod = await site.factory.open_event(site.owner, eventType="vod")
    assert_error(await site.http.get(f"/api/events/{vod['eventId']}/live-status"), 409, "not_a_live_event")


async def test_an_encoder_connected_before_the_start_time_rehearses_until_it_comes(
    site: LiveSite, publisher_logs: Path
) -> None:
    later = (utcnow() + timedelta(hours=1)).isoformat()
    event = await site.live_event(title="Soundcheck", scheduledStart=later)
    event_id = event["eventId"]
    publisher = await publish(f"{site.rtmp_base}/{event['input']['streamKey']}", publisher_logs, seconds=60)
    try:

        async def ready() -> bool:
            return bool((await site.live_input(event_id))["previewUrl"])

        await wait_for(ready, timeout=40, what="the stream to be ready")
        for _ in range(4):  # several supervisor ticks: still a rehearsal
            await site.runtime.tick()
        assert (await site.event(event_id))["status"] == "scheduled"
        assert (await _status(site, event_id))["broadcast"] == "waiting"

        now = utcnow().isoformat()
        moved = await site.http.put(f"/api/events/{event_id}", json={"scheduledStart": now}, headers=site.owner.headers)
        assert moved.status_code == 200, moved.text

        async def live() -> bool:
            return bool((await site.event(event_id))["status"] == "live")

        await wait_for(live, timeout=20, what="the event to go live at its start time")
        await _broadcast_is(site, event_id, "live", timeout=10)
    finally:
        publisher.stop()
        await publisher.wait()
    assert (await site.transition(event_id, "ended")).status_code == 200


async def test_viewers_are_told_of_an_interruption_the_return_and_the_end(site: LiveSite, publisher_logs: Path) -> None:
    event = await site.live_event(title="Keynote")
    event_id = event["eventId"]
    url = f"{site.rtmp_base}/{event['input']['streamKey']}"
    status = await _status(site, event_id)
    assert status == {"eventId": event_id, "status": "scheduled", "broadcast": "waiting", "replayReady": False}
    response = await site.http.get(f"/api/events/{event_id}/live-status")
    assert response.headers["cache-control"] == "no-store"  # cached for less than a second here

    publisher = await publish(url, publisher_logs, seconds=90)
    try:
        status = await _broadcast_is(site, event_id, "live", timeout=40)
        assert status["status"] == "live"
        publisher.stop()  # the encoder drops without a goodbye
        await publisher.wait()
        status = await _broadcast_is(site, event_id, "interrupted", timeout=10)
        assert status["status"] == "live"  # still live: the encoder may come back

        publisher = await publish(url, publisher_logs, seconds=90)
        await _broadcast_is(site, event_id, "live", timeout=RECONNECT_WINDOW_SECONDS)
        publisher.stop()
        await publisher.wait()
        await _broadcast_is(site, event_id, "interrupted", timeout=10)
    finally:
        publisher.stop()
        await publisher.wait()

    # auto end (the default): the encoder did not come back within the window
    status = await _broadcast_is(site, event_id, "ended", timeout=RECONNECT_WINDOW_SECONDS + 30)
    assert status == {"eventId": event_id, "status": "ended", "broadcast": "ended", "replayReady": False}
    entries = await site.automation(event_id)
    assert any(e["action"] == "transition.ended" and "did not reconnect" in str(e["details"]) for e in entries)

    async def closed() -> bool:
        return (await site.live_input(event_id))["recording"]["status"] == "pending"

    await wait_for(closed, timeout=20, what="the recording job to be queued")
    from sqlalchemy import select

    from golive.live.models import LiveInput

    async with site.ctx.db.sessionmaker() as session:
        live_input_id = await session.scalar(select(LiveInput.live_input_id).where(LiveInput.event_id == event_id))
    assert live_input_id is not None
    asset_id = await recording.finalize_recording(site.ctx, live_input_id)
    assert asset_id is not None and await transcoding.run_transcode(site.ctx, asset_id) is not None

    async def replay() -> bool:
        return bool((await _status(site, event_id))["replayReady"])

    await wait_for(replay, timeout=10, what="the replay to be offered")
