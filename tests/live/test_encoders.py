"""Encoders that follow the RTMP spec to the letter publish to the embedded ingest, not only the lenient
ffmpeg (test_broadcast.py): GStreamer's own RTMP client (rtmp2sink) takes NetStream.Publish.Start only on
the stream it published on, and its librtmp sink (rtmpsink) stands for the many tools built on librtmp."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests import hls_strict
from tests.live.conftest import (
    GSTREAMER_SINKS,
    LiveSite,
    fetch_text,
    publish_gstreamer,
    relative,
    transcoder_children,
    viewer_token,
    wait_for,
)

pytestmark = pytest.mark.timeout(120)


async def _segments_after(site: LiveSite, media_url: str) -> int:
    playlist = hls_strict.parse(await fetch_text(site, media_url))
    return int(playlist.media_sequence or 0) + len(playlist.segments)


@pytest.mark.parametrize("sink", GSTREAMER_SINKS)
async def test_a_gstreamer_encoder_goes_live_and_viewers_watch(site: LiveSite, publisher_logs: Path, sink: str) -> None:
    event = await site.live_event(title=f"Published by {sink}")
    event_id = event["eventId"]
    encoder = await publish_gstreamer(
        f"{site.rtmp_base}/{event['input']['streamKey']}", publisher_logs, sink=sink, seconds=30
    )
    try:

        async def measured() -> dict[str, object] | None:
            live_input = await site.live_input(event_id)
            return live_input if live_input["health"]["fps"] else None

        live_input = await wait_for(measured, timeout=20, what=f"{sink}'s media to arrive")
        assert encoder.process.returncode is None, encoder.log
        health = live_input["health"]
        assert (health["width"], health["height"]) == (640, 360)
        assert health["videoCodec"] == "h264" and health["audioCodec"] == "aac"

        async def is_live() -> bool:
            return bool((await site.event(event_id))["status"] == "live")

        await wait_for(is_live, timeout=20, what="the event to go live by itself")

        token = await viewer_token(site, event_id)
        playback = await site.http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
        assert playback.status_code == 200, playback.text
        master_url = playback.json()["playbackUrl"]
        master = hls_strict.parse(await fetch_text(site, master_url))
        media_url = relative(master_url, master.playlists[-1].uri)
        first: int = await wait_for(lambda: _segments_after(site, media_url), timeout=15, what="a first segment")

        async def grew() -> bool:
            return await _segments_after(site, media_url) >= first + 2

        await wait_for(grew, timeout=15, what=f"the live playlist fed by {sink} to grow")

        ended = await site.transition(event_id, "ended")
        assert ended.status_code == 200, ended.text
        assert await encoder.wait(timeout=15) is not None  # the ingest hung up on the encoder
        await wait_for(lambda: _no_transcoder(site), timeout=15, what="the transcoder to stop")
    finally:
        encoder.stop()


async def _no_transcoder(site: LiveSite) -> bool:
    return not site.runtime.transcoder_pids() and not transcoder_children()


async def test_rtmp2sink_hears_a_refusal_at_once(site: LiveSite, publisher_logs: Path) -> None:
    """The BadName onStatus reaches the encoder on its stream, so it stops instead of waiting."""
    await site.live_event(title="Strict refusal")
    started = time.monotonic()
    encoder = await publish_gstreamer(f"{site.rtmp_base}/glk_{'0' * 40}", publisher_logs, sink="rtmp2sink")
    assert await encoder.wait(timeout=15) != 0, encoder.log
    assert time.monotonic() - started < 8, "a refused encoder should stop at once"
    assert "invalid stream key" in encoder.log or "BadName" in encoder.log, encoder.log
