"""One broadcast from start to replay: an encoder publishes with the event's key, the event goes live,
an admitted viewer's live playlist grows, the admin sees the ingest's health, ending the event stops
everything, and the recording becomes the event's replay (which the admin can trim)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from golive.live import recording
from golive.live.models import LiveInput
from golive.media import transcoding
from tests import hls_strict
from tests.live.conftest import (
    LiveSite,
    Publisher,
    fetch_text,
    publish,
    relative,
    transcoder_children,
    viewer_token,
    wait_for,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    """What one step of the broadcast hands to the next."""
    return {}


async def test_a_live_event_has_an_idle_input_with_a_stream_key(site: LiveSite, story: dict[str, Any]) -> None:
    event = await site.live_event(title="Launch")
    live_input = event["input"]
    assert live_input["rtmpUrl"] == site.rtmp_base
    assert live_input["streamKey"].startswith("glk_") and len(live_input["streamKey"]) == 44
    assert live_input["state"] == "idle"
    assert live_input["health"]["connected"] is False and live_input["health"]["bitrateKbps"] is None
    assert live_input["previewUrl"] is None and live_input["viewers"] == 0
    # The same key every time it is shown; only rotation changes it.
    assert (await site.live_input(event["eventId"]))["streamKey"] == live_input["streamKey"]
    story["event"] = event


async def test_a_good_key_goes_live_and_a_viewers_live_playlist_grows(
    site: LiveSite, story: dict[str, Any], publisher_logs: Path
) -> None:
    event = story["event"]
    event_id = event["eventId"]
    publisher = await publish(f"{site.rtmp_base}/{event['input']['streamKey']}", publisher_logs, seconds=20)
    story["publisher"] = publisher

    async def is_live() -> bool:
        return bool((await site.event(event_id))["status"] == "live")

    await wait_for(is_live, timeout=20, what="the event to go live by itself")
    token = await viewer_token(site, event_id)
    response = await site.http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    playback = response.json()
    assert playback["isLive"] is True and playback["duration"] is None
    master_url = playback["playbackUrl"]
    master = hls_strict.parse(await fetch_text(site, master_url))
    variants = {p.uri.split("/")[0]: p for p in master.playlists}
    assert set(variants) == {"src", "180p"}  # the source passed through on top, a smaller rung encoded
    assert variants["src"].stream_info.resolution == (640, 360)
    assert variants["180p"].stream_info.resolution == (320, 180)
    assert all("avc1." in p.stream_info.codecs and "mp4a.40.2" in p.stream_info.codecs for p in master.playlists)

    media_url = relative(master_url, variants["180p"].uri)
    first = hls_strict.parse(await fetch_text(site, media_url))
    await asyncio.sleep(2.5)
    second = hls_strict.parse(await fetch_text(site, media_url))
    assert not first.is_endlist and not second.is_endlist
    assert first.target_duration == 1
    last_first = first.media_sequence + len(first.segments)
    last_second = second.media_sequence + len(second.segments)
    assert last_second >= last_first + 2, "the live playlist did not grow"
    segment = await site.http.get(relative(media_url, second.segments[-1].uri))
    assert segment.status_code == 200 and segment.headers["content-type"] == "video/mp2t"
    assert len(segment.content) > 1000

    entries = await site.automation(event_id)
    went_live = [e for e in entries if e["action"] == "transition.live"]
    assert went_live and went_live[0]["triggerType"] == "preStart" and went_live[0]["details"]["by"] == "ingest"
    assert any(e["action"] == "ingest.connected" for e in entries)
    story["media_url"] = media_url


async def test_unadmitted_viewers_get_no_live_playlist(site: LiveSite, story: dict[str, Any]) -> None:
    event_id = story["event"]["eventId"]
    response = await site.http.get(f"/api/events/{event_id}/playback")
    assert response.status_code == 401
    tampered = story["media_url"].replace("sig=", "sig=A")
    assert (await site.http.get(tampered)).status_code == 403
    unsigned = story["media_url"].split("?", 1)[0]
    assert (await site.http.get(unsigned)).status_code == 403


async def test_the_admin_sees_ingest_health_a_preview_and_the_viewer_count(
    site: LiveSite, story: dict[str, Any]
) -> None:
    event_id = story["event"]["eventId"]
    await site.app.state.analytics.realtime.presence.touch(event_id, ["viewer-a", "viewer-b"])

    async def measured() -> dict[str, Any] | None:
        live_input = await site.live_input(event_id)
        return live_input if live_input["health"]["fps"] else None

    live_input = await wait_for(measured, timeout=10, what="health figures")
    health = live_input["health"]
    assert live_input["state"] == "connected" and health["connected"] is True
    assert (health["width"], health["height"]) == (640, 360)
    assert health["videoCodec"] == "h264" and health["audioCodec"] == "aac"
    assert 300 < health["bitrateKbps"] < 3000
    assert 20 < health["fps"] < 40
    assert health["keyframeIntervalSeconds"] == pytest.approx(1.0, abs=0.05)
    assert health["uptimeSeconds"] > 1 and health["remoteAddr"] == "127.0.0.1"
    assert health["connectedAt"] and health["lastMediaAt"] and health["droppedFrames"] >= 0
    assert live_input["viewers"] == 2
    preview = await site.http.get(live_input["previewUrl"])
    assert preview.status_code == 200 and "#EXT-X-STREAM-INF" in preview.text


async def test_ending_the_event_stops_the_encoder_and_the_transcoder(site: LiveSite, story: dict[str, Any]) -> None:
    event_id = story["event"]["eventId"]
    publisher: Publisher = story["publisher"]
    assert site.runtime.transcoder_pids(), "a transcoder should be running"
    response = await site.transition(event_id, "ended")
    assert response.status_code == 200, response.text

    async def stopped() -> bool:
        return (await site.live_input(event_id))["state"] == "ended" and not site.runtime.sessions

    await wait_for(stopped, timeout=15, what="the ingest to stop")
    await publisher.wait(timeout=10)  # the encoder was disconnected long before its 20 s were up
    assert site.runtime.transcoder_pids() == []
    assert transcoder_children() == []
    ended = hls_strict.parse(await fetch_text(site, story["media_url"]))
    assert ended.is_endlist, "players must see the end of the stream"
    entries = await site.automation(event_id)
    assert any(e["action"] == "transition.ended" and e["triggerType"] == "postStop" for e in entries)
    assert any(e["action"] == "recording.queued" for e in entries)
    token = await viewer_token(site, event_id)
    playback = await site.http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
    assert playback.status_code == 409  # the replay is not made yet; the live stream is over
    live_input = await site.live_input(event_id)
    assert live_input["previewUrl"] is None and live_input["health"]["connected"] is False


async def _live_input_row(site: LiveSite, event_id: str) -> LiveInput:
    from sqlalchemy import select

    async with site.ctx.db.sessionmaker() as session:
        row = await session.scalar(select(LiveInput).where(LiveInput.event_id == event_id))
    assert row is not None
    return row


async def test_the_recording_becomes_a_playable_replay(site: LiveSite, story: dict[str, Any]) -> None:
    event_id = story["event"]["eventId"]
    row = await _live_input_row(site, event_id)
    asset_id = await recording.finalize_recording(site.ctx, row.live_input_id)  # the queued job's work
    assert asset_id is not None
    assert await recording.finalize_recording(site.ctx, row.live_input_id) is None  # once only
    assert await transcoding.run_transcode(site.ctx, asset_id) is not None

    media = (await site.http.get(f"/api/events/{event_id}/media", headers=site.owner.headers)).json()
    assert media["status"] == "ready" and media["assetId"] == asset_id
    assert media["posterUrl"] and media["thumbnailsUrl"]
    recorded = (await _live_input_row(site, event_id)).recording_duration or 0
    assert recorded > 3
    assert media["duration"] == pytest.approx(recorded, abs=1.5)

    token = await viewer_token(site, event_id)
    response = await site.http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    playback = response.json()
    assert playback["isLive"] is False and playback["duration"] == pytest.approx(media["duration"])
    master = hls_strict.parse(await fetch_text(site, playback["playbackUrl"]))
    variant_url = relative(playback["playbackUrl"], master.playlists[0].uri)
    variant = hls_strict.parse(await fetch_text(site, variant_url))
    assert variant.is_endlist and variant.segments
    segment = await site.http.get(relative(variant_url, variant.segments[0].uri))
    assert segment.status_code == 200
    entries = await site.automation(event_id)
    assert any(e["action"] == "recording.finalize" and e["executionStatus"] == "success" for e in entries)
    assert any(e["action"] == "transcode.end" and e["details"]["assetId"] == asset_id for e in entries)
    story["replay"] = asset_id
    story["recorded"] = recorded


async def test_the_admin_trims_the_replay(site: LiveSite, story: dict[str, Any]) -> None:
    event_id = story["event"]["eventId"]
    too_late = await site.http.post(
        f"/api/events/{event_id}/replay/trim", json={"startSeconds": 3600}, headers=site.owner.headers
    )
    assert too_late.status_code == 422 and "startSeconds" in too_late.json()["error"]["details"]["fields"]
    response = await site.http.post(
        f"/api/events/{event_id}/replay/trim",
        json={"startSeconds": 1.0, "endSeconds": 3.5},
        headers=site.owner.headers,
    )
    assert response.status_code == 202, response.text
    trimmed = response.json()
    assert trimmed["status"] == "uploaded" and trimmed["assetId"] != story["replay"]
    # Until the trimmed replay is ready, the previous one keeps playing.
    media = (await site.http.get(f"/api/events/{event_id}/playback", headers=site.owner.headers)).json()
    assert str(story["replay"]) in media["playbackUrl"]
    assert await transcoding.run_transcode(site.ctx, trimmed["assetId"]) is not None
    media = (await site.http.get(f"/api/events/{event_id}/media", headers=site.owner.headers)).json()
    assert media["assetId"] == trimmed["assetId"] and media["status"] == "ready"
    assert media["duration"] == pytest.approx(2.5, abs=0.5)
    playback = (await site.http.get(f"/api/events/{event_id}/playback", headers=site.owner.headers)).json()
    assert trimmed["assetId"] in playback["playbackUrl"]
