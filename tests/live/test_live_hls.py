"""The live playlists as players read them: strictly valid, BANDWIDTH measured from what each rendition really
sends (the passthrough's announced bitrate is far off), and one EXT-X-PROGRAM-DATE-TIME per segment, the
time of its first frame, the same in every rendition."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from golive.live.packaging.packager import output_dir
from tests.hls_strict import parse_master, parse_media
from tests.live.conftest import LiveSite, fetch_text, publish, relative, viewer_token, wait_for

pytestmark = pytest.mark.timeout(120)


async def test_live_playlists_declare_what_is_sent_and_date_segments_alike(
    site: LiveSite, publisher_logs: Path
) -> None:
    event = await site.live_event(title="Measured")
    event_id = event["eventId"]
    # About 1.5 Mbit/s of x264 announced as 60 kbit/s in onMetaData: the master must not believe it.
    encoder = await publish(
        f"{site.rtmp_base}/{event['input']['streamKey']}",
        publisher_logs,
        seconds=40,
        extra_video=("-b:v", "60k", "-x264-params", "bitrate=1500:vbv-maxrate=1500:vbv-bufsize=1500"),
    )
    try:

        async def is_live() -> bool:
            return bool((await site.event(event_id))["status"] == "live")

        await wait_for(is_live, timeout=20, what="the event to go live")
        token = await viewer_token(site, event_id)
        playback = (
            await site.http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
        ).json()
        master_url = playback["playbackUrl"]
        media_urls = {}
        for variant in parse_master(await fetch_text(site, master_url)).playlists:
            media_urls[variant.uri.split("/")[0]] = relative(master_url, variant.uri)
        assert set(media_urls) == {"src", "180p"}

        async def enough_segments() -> bool:
            media = parse_media(await fetch_text(site, media_urls["180p"]), ended=False)
            return len(media.segments) >= 4

        await wait_for(enough_segments, timeout=30, what="four live segments")
        live_input_id = master_url.split("/")[2]  # /media/<liveInputId>/master.m3u8?...
        folder = output_dir(site.ctx.settings, live_input_id)
        dated: dict[str, dict[str, datetime]] = {}
        rates: dict[str, list[float]] = {}
        for name, url in media_urls.items():
            media = parse_media(await fetch_text(site, url), ended=False)
            dated[name] = {}
            rates[name] = []
            for segment in media.segments:
                uri = segment.uri.split("?")[0]
                assert segment.program_date_time is not None, uri
                dated[name][uri] = segment.program_date_time
                written = os.stat(folder / name / uri)
                rates[name].append(written.st_size * 8 / segment.duration)
                # Dated by its first frame: it cannot end (date + length) after ffmpeg finished writing it.
                assert segment.program_date_time.timestamp() + segment.duration <= written.st_mtime + 0.05, uri
        shared = set(dated["src"]) & set(dated["180p"])
        assert len(shared) >= 3
        assert all(dated["src"][uri] == dated["180p"][uri] for uri in shared)

        master = parse_master(await fetch_text(site, master_url))
        declared = {p.uri.split("/")[0]: p.stream_info for p in master.playlists}
        source = declared["src"]
        assert source.bandwidth >= max(rates["src"][1:]) * 0.95  # the first segment may be cut short
        assert source.average_bandwidth is not None and source.average_bandwidth > 1_000_000
        assert declared["180p"].bandwidth <= source.bandwidth
        assert declared["180p"].average_bandwidth is not None
        assert declared["180p"].average_bandwidth <= declared["180p"].bandwidth
    finally:
        encoder.stop()
