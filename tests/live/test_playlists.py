"""The playlists viewers get: ffmpeg's raw live playlist cut into the sliding and DVR views, with the
discontinuity count ffmpeg 5.1 never writes, a target duration players accept, and the end marker."""

from __future__ import annotations

import m3u8

from golive.live.playlists import (
    VariantEntry,
    VariantHistory,
    parse_media_playlist,
    render_master,
    render_media_playlist,
)


def raw_playlist(first: int, count: int, *, discontinuity_at: int | None = None, first_duration: float = 1.0) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:2", f"#EXT-X-MEDIA-SEQUENCE:{first}"]
    lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
    for number in range(first, first + count):
        if number == discontinuity_at:
            lines.append("#EXT-X-DISCONTINUITY")
        duration = first_duration if number == first else 1.0
        lines += [f"#EXTINF:{duration:.6f},", "#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000+0000"]
        lines.append(f"seg_{number:05d}.ts")
    return "\n".join(lines) + "\n"


def test_the_sliding_view_keeps_the_newest_segments_and_their_tags() -> None:
    history = VariantHistory()
    playlist = parse_media_playlist(raw_playlist(10, 20))
    history.observe(playlist)
    served = m3u8.loads(render_media_playlist(playlist, history, window_seconds=6, ended=False))
    assert [s.uri for s in served.segments] == [f"seg_{n:05d}.ts" for n in range(24, 30)]
    assert served.media_sequence == 24 and served.discontinuity_sequence == 0
    assert served.segments[0].program_date_time is not None and served.is_independent_segments
    assert not served.is_endlist


def test_a_discontinuity_that_left_the_window_is_counted() -> None:
    history = VariantHistory()
    early = parse_media_playlist(raw_playlist(0, 8, discontinuity_at=5))
    history.observe(early)
    inside = m3u8.loads(render_media_playlist(early, history, window_seconds=6, ended=False))
    assert inside.discontinuity_sequence == 0
    assert [s.discontinuity for s in inside.segments].count(True) == 1

    later = parse_media_playlist(raw_playlist(6, 10))  # ffmpeg's own list no longer shows it either
    history.observe(later)
    slid = m3u8.loads(render_media_playlist(later, history, window_seconds=6, ended=False))
    assert slid.discontinuity_sequence == 1
    assert not any(s.discontinuity for s in slid.segments)


def test_the_target_duration_fits_every_segment_and_never_shrinks() -> None:
    history = VariantHistory()
    history.observe(parse_media_playlist(raw_playlist(0, 4, first_duration=1.033)))
    assert history.target_duration == 1  # 1.033 rounds to 1 (ffmpeg itself would say 2)
    history.observe(parse_media_playlist(raw_playlist(0, 4, first_duration=2.5)))
    assert history.target_duration == 3
    history.observe(parse_media_playlist(raw_playlist(4, 4)))
    assert history.target_duration == 3


def test_an_ended_broadcast_ends_every_view_and_short_lists_still_start() -> None:
    history = VariantHistory()
    playlist = parse_media_playlist(raw_playlist(0, 2))
    history.observe(playlist)
    served = m3u8.loads(render_media_playlist(playlist, history, window_seconds=30, ended=True))
    assert served.is_endlist and len(served.segments) == 2


def test_the_master_names_every_rendition_with_its_codecs() -> None:
    text = render_master(
        [
            VariantEntry("src", 3_000_000, 1280, 720, "avc1.64001f,mp4a.40.2", 30.0),
            VariantEntry("360p", 800_000, 640, 360, "avc1.64001e,mp4a.40.2", 30.0),
        ],
        "index.m3u8",
    )
    master = m3u8.loads(text)
    assert [p.uri for p in master.playlists] == ["src/index.m3u8", "360p/index.m3u8"]
    assert master.playlists[0].stream_info.codecs == "avc1.64001f,mp4a.40.2"
    assert master.playlists[1].stream_info.resolution == (640, 360)
