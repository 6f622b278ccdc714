"""The replay keeps what was broadcast before "Go live": the recording starts when the encoder is accepted,
the replay is all of it, and the trim tool knows where the event went live, so cutting the waiting is one
trim from there."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from golive.live import recording
from golive.media import transcoding
from tests.live.conftest import LiveSite, input_ids, publish, wait_for

pytestmark = pytest.mark.timeout(180)

WAITING_SECONDS = 5.0  # on air, before the admin presses Go live
SHOW_SECONDS = 4.0


async def test_the_replay_covers_the_broadcast_before_go_live(site: LiveSite, publisher_logs: Path) -> None:
    event = await site.live_event(title="Doors open early", autoStart=False)
    event_id = event["eventId"]
    publisher = await publish(f"{site.rtmp_base}/{event['input']['streamKey']}", publisher_logs, seconds=60)
    try:

        async def on_air() -> dict[str, Any] | None:
            live_input = await site.live_input(event_id)
            return live_input if live_input["previewUrl"] else None

        await wait_for(on_air, timeout=40, what="the stream to be ready")
        assert (await site.event(event_id))["status"] == "scheduled"  # auto start is off: it waits for the admin
        waited_from = time.monotonic()
        await asyncio.sleep(WAITING_SECONDS)
        assert (await site.transition(event_id, "live")).status_code == 200
        waited = time.monotonic() - waited_from
        await asyncio.sleep(SHOW_SECONDS)
        assert (await site.transition(event_id, "ended")).status_code == 200

        async def closed() -> bool:
            return (await site.live_input(event_id))["state"] == "ended" and not site.runtime.sessions

        await wait_for(closed, timeout=30, what="the ingest to stop")
    finally:
        publisher.stop()
        await publisher.wait()

    assert (await site.live_input(event_id))["recording"]["status"] == "pending"  # the job is queued
    (live_input_id,) = await input_ids(site, event_id)
    asset_id = await recording.finalize_recording(site.ctx, live_input_id)  # the queued job's work
    assert asset_id is not None
    assert await transcoding.run_transcode(site.ctx, asset_id) is not None

    recorded = (await site.live_input(event_id))["recording"]
    assert recorded["status"] == "ready"
    length = recorded["durationSeconds"]
    assert length >= waited + SHOW_SECONDS - 1.0, (length, waited)
    # the event went live after the waiting; the recording says where
    assert recorded["wentLiveAtSeconds"] == pytest.approx(length - SHOW_SECONDS, abs=2.5)
    assert recorded["wentLiveAtSeconds"] >= WAITING_SECONDS - 1.0
    media = (await site.http.get(f"/api/events/{event_id}/media", headers=site.owner.headers)).json()
    assert media["assetId"] == asset_id and media["status"] == "ready"
    assert media["duration"] == pytest.approx(length, abs=1.5), "the replay lost the part before Go live"

    # cutting the waiting: one trim from where the event went live
    start = recorded["wentLiveAtSeconds"]
    response = await site.http.post(
        f"/api/events/{event_id}/replay/trim", json={"startSeconds": start}, headers=site.owner.headers
    )
    assert response.status_code == 202, response.text
    assert await transcoding.run_transcode(site.ctx, response.json()["assetId"]) is not None
    trimmed = (await site.http.get(f"/api/events/{event_id}/media", headers=site.owner.headers)).json()
    assert trimmed["status"] == "ready"
    assert trimmed["duration"] == pytest.approx(length - start, abs=1.5)
    # the recording itself is untouched: trim times stay seconds into it
    assert (await site.live_input(event_id))["recording"]["durationSeconds"] == length
