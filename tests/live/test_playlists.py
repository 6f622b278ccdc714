"""The playlists viewers get: ffmpeg's raw live playlist cut into the sliding and DVR views, with the
discontinuity count ffmpeg 5.1 never writes, a target duration players accept, and the end marker."""

from __future__ import annotations

from golive.live.packaging.playlists import (
    Anchor,
    Measured,
    VariantEntry,
    VariantHistory,
    parse_media_playlist,
    render_master,
    render_media_playlist,
    segment_dates,
)
from tests import hls_strict


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
    served = hls_strict.parse(render_media_playlist(playlist, history, window_seconds=6, ended=False))
    assert [s.uri for s in served.segments] == [f"seg_{n:05d}.ts" for n in range(24, 30)]
    assert served.media_sequence == 24 and served.discontinuity_sequence == 0
    assert served.segments[0].program_date_time is not None and served.is_independent_segments
    assert not served.is_endlist


def test_a_discontinuity_that_left_the_window_is_counted() -> None:
    history = VariantHistory()
    early = parse_media_playlist(raw_playlist(0, 8, discontinuity_at=5))
    history.observe(early)
    inside = hls_strict.parse(render_media_playlist(early, history, window_seconds=6, ended=False))
    assert inside.discontinuity_sequence == 0
    assert [s.discontinuity for s in inside.segments].count(True) == 1

    later = parse_media_playlist(raw_playlist(6, 10))  # ffmpeg's own list no longer shows it either
    history.observe(later)
    slid = hls_strict.parse(render_media_playlist(later, history, window_seconds=6, ended=False))
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
    served = hls_strict.parse(render_media_playlist(playlist, history, window_seconds=30, ended=True))
    assert served.is_endlist and len(served.segments) == 2


def test_the_master_names_every_rendition_with_its_codecs() -> None:
    text = render_master(
        [
            VariantEntry("src", 3_000_000, 1280, 720, "avc1.64001f,mp4a.40.2", 30.0),
            VariantEntry("360p", 800_000, 640, 360, "avc1.64001e,mp4a.40.2", 30.0),
        ],
        "index.m3u8",
    )
    master = hls_strict.parse(text)
    assert [p.uri for p in master.playlists] == ["src/index.m3u8", "360p/index.m3u8"]
    assert master.playlists[0].stream_info.codecs == "avc1.64001f,mp4a.40.2"
    assert master.playlists[1].stream_info.resolution == (640, 360)


def test_measured_bandwidth_is_declared_and_no_rung_declares_more_than_the_source() -> None:
    variants = [
        VariantEntry("src", 208_399, 1280, 720, "avc1.64001f,mp4a.40.2", 30.0, passthrough=True),
        VariantEntry("720p", 3_300_000, 1280, 720, "avc1.64001f,mp4a.40.2", 30.0),
        VariantEntry("360p", 800_000, 640, 360, "avc1.64001e,mp4a.40.2", 30.0),
    ]
    measured = {"src": Measured(peak=3_050_000, average=2_900_000), "720p": Measured(3_400_000, 3_200_000)}
    master = hls_strict.parse(render_master(variants, "index.m3u8", measured))
    declared = {p.uri.split("/")[0]: p.stream_info for p in master.playlists}
    assert (declared["src"].bandwidth, declared["src"].average_bandwidth) == (3_050_000, 2_900_000)
    assert (declared["720p"].bandwidth, declared["720p"].average_bandwidth) == (3_050_000, 2_900_000)
    assert declared["360p"].bandwidth == 800_000 and declared["360p"].average_bandwidth is None  # not measured yet


def test_segments_are_dated_from_the_first_frame_and_alike_in_every_rendition() -> None:
    reference = parse_media_playlist(raw_playlist(10, 4, discontinuity_at=12))
    anchors = [Anchor(10, 1_767_225_600.0), Anchor(12, 1_767_225_700.0)]  # a reconnect at segment 12
    dates = segment_dates(reference, anchors, {})
    assert dates == {10: 1_767_225_600.0, 11: 1_767_225_601.0, 12: 1_767_225_700.0, 13: 1_767_225_701.0}
    other = parse_media_playlist(raw_playlist(10, 5))  # one segment ahead of the reference
    served = render_media_playlist(other, VariantHistory(), window_seconds=10, ended=False, dates=dates)
    stamps = [line for line in served.splitlines() if line.startswith("#EXT-X-PROGRAM-DATE-TIME")]
    assert stamps[0] == "#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000Z"
    assert stamps[2] == "#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:01:40.000Z"
    assert len(stamps) == 4  # the segment the reference has not written yet carries no (ffmpeg) date
    assert "2026-01-01T00:00:00.000+0000" not in served
    # Dates outlive the raw list: segment 14 is dated from 13 once the reference has it.
    later = segment_dates(parse_media_playlist(raw_playlist(12, 3)), anchors, dates)
    assert later[14] == 1_767_225_702.0 and 10 not in later
