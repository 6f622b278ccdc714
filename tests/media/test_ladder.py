"""The ladder: no upscaling, aligned keyframes across renditions, a complete HLS package."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import m3u8
import pytest

from golive.media.ffmpeg import ProbeResult, find_tools
from golive.media.ladder import (
    ThumbnailPlan,
    TranscodeResult,
    build_vod_command,
    plan_ladder,
    plan_thumbnails,
    transcode_vod,
)
from golive.platform.settings import DEFAULT_LADDER, Settings

MakeVideo = Callable[..., Path]


def source_info(width: int, height: int, sample_aspect: float = 1.0) -> ProbeResult:
    return ProbeResult(
        duration=10.0,
        width=width,
        height=height,
        fps=30.0,
        video_codec="h264",
        audio_codec="aac",
        has_video=True,
        has_audio=True,
        bitrate=4_000_000,
        format_name="mp4",
        sample_aspect=sample_aspect,
    )


def test_720p_source_gets_720_480_360_and_no_upscaled_1080() -> None:
    rungs = plan_ladder(source_info(1280, 720), DEFAULT_LADDER)
    assert [(r.name, r.width, r.height) for r in rungs] == [
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]


def test_source_below_the_lowest_rung_gets_one_rung_at_its_own_height() -> None:
    rungs = plan_ladder(source_info(426, 240), DEFAULT_LADDER)
    assert [(r.name, r.width, r.height) for r in rungs] == [("240p", 426, 240)]
    assert 0 < rungs[0].video_kbps < 800


def test_odd_sizes_become_even_and_keep_aspect() -> None:
    rungs = plan_ladder(source_info(1001, 563), DEFAULT_LADDER)
    for rung in rungs:
        assert rung.width % 2 == 0 and rung.height % 2 == 0
        assert rung.width / rung.height == pytest.approx(1001 / 563, rel=0.01)
    assert [r.height for r in rungs] == [480, 360]


def test_portrait_video_ladder_uses_the_short_side() -> None:
    rungs = plan_ladder(source_info(720, 1280), DEFAULT_LADDER)
    assert [(r.width, r.height) for r in rungs] == [(720, 1280), (480, 854), (360, 640)]


def test_anamorphic_source_is_scaled_to_its_display_aspect() -> None:
    rungs = plan_ladder(source_info(720, 576, sample_aspect=64 / 45), DEFAULT_LADDER)
    assert rungs[0].height == 480 and rungs[0].width / rungs[0].height == pytest.approx(16 / 9, rel=0.01)


def test_command_is_one_process_with_one_decode_and_aligned_gop(tmp_path: Path) -> None:
    rungs = plan_ladder(source_info(1280, 720), DEFAULT_LADDER)
    command = build_vod_command(
        tmp_path / "in.mp4",
        tmp_path / "out",
        rungs,
        4,
        True,
        fps=25,
        poster_at=1.0,
        thumbnails=plan_thumbnails(10.0),
    )
    assert command.count("-i") == 1
    graph = command[command.index("-filter_complex") + 1]
    assert graph.startswith("[0:v]split=5")
    assert command[command.index("-g") + 1] == "100" == command[command.index("-keyint_min") + 1]
    assert command[command.index("-sc_threshold") + 1] == "0"
    assert command[command.index("-force_key_frames") + 1] == "expr:gte(t,n_forced*4)"
    assert command[command.index("-var_stream_map") + 1] == ("v:0,a:0,name:720p v:1,a:1,name:480p v:2,a:2,name:360p")


def test_thumbnail_cues_tile_the_sprite_left_to_right_top_to_bottom() -> None:
    plan = ThumbnailPlan(interval=2.0, count=12, columns=10, duration=23.0)
    vtt = plan.webvtt()
    assert vtt.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:02.000\nthumbs.jpg#xywh=0,0,160,90" in vtt
    assert "00:00:22.000 --> 00:00:23.000\nthumbs.jpg#xywh=160,90,160,90" in vtt
    assert plan.rows == 2


@pytest.fixture(scope="module")
def hd_transcode(tmp_path_factory: pytest.TempPathFactory, video_file_maker: MakeVideo) -> TranscodeResult:
    """One real 1280x720 transcode shared by the output checks (1 s segments to get several)."""
    base = tmp_path_factory.mktemp("hd")
    source = video_file_maker(base / "source.mp4", size="1280x720", duration=3.0)
    settings = Settings(data_dir=base / "data", secret_key="test-secret", segment_seconds=1)
    return transcode_vod(source, base / "asset", settings)


def test_hd_source_produces_720_480_360_renditions(hd_transcode: TranscodeResult) -> None:
    assert [(r.name, r.width, r.height) for r in hd_transcode.renditions] == [
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    assert not (hd_transcode.out_dir / "1080p").exists()


def test_master_playlist_advertises_bandwidth_resolution_and_codecs(hd_transcode: TranscodeResult) -> None:
    master = m3u8.load(str(hd_transcode.out_dir / "master.m3u8"))
    assert master.is_variant
    variants = {playlist.uri: playlist.stream_info for playlist in master.playlists}
    assert set(variants) == {"720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8"}
    for uri, info in variants.items():
        assert info.bandwidth and info.bandwidth > 0
        assert info.resolution is not None and f"{info.resolution[1]}p" == uri.split("/")[0]
        assert info.codecs and "avc1." in info.codecs and "mp4a.40.2" in info.codecs


def test_every_rendition_lasts_as_long_as_the_source(hd_transcode: TranscodeResult) -> None:
    for rendition in hd_transcode.renditions:
        assert rendition.duration == pytest.approx(3.0, abs=0.15)
        decoded = subprocess.run(
            [
                find_tools().ffprobe or "ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=nb_read_frames:format=duration",
                "-of",
                "json",
                str(hd_transcode.out_dir / rendition.playlist),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        report = json.loads(decoded)
        assert int(report["streams"][0]["nb_read_frames"]) == 90
        assert float(report["format"]["duration"]) == pytest.approx(3.0, abs=0.15)


def test_segments_line_up_across_renditions(hd_transcode: TranscodeResult) -> None:
    timelines = []
    for rendition in hd_transcode.renditions:
        media = m3u8.load(str(hd_transcode.out_dir / rendition.playlist))
        assert media.is_endlist and media.playlist_type == "vod"
        assert media.segment_map and media.segment_map[0].uri
        timelines.append([round(segment.duration, 3) for segment in media.segments])
    assert len(timelines[0]) == 3
    assert all(timeline == timelines[0] for timeline in timelines)


def test_keyframes_fall_on_the_same_timestamps_in_every_rendition(hd_transcode: TranscodeResult) -> None:
    keyframe_times = []
    for rendition in hd_transcode.renditions:
        packets = subprocess.run(
            [
                find_tools().ffprobe or "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "packet=pts_time,flags",
                "-of",
                "json",
                str(hd_transcode.out_dir / rendition.playlist),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        times = [round(float(p["pts_time"]), 2) for p in json.loads(packets)["packets"] if "K" in p["flags"]]
        keyframe_times.append(times)
    # Offsets are relative to the first keyframe: B-frames delay every rendition's first pts equally.
    offsets = [time - keyframe_times[0][0] for time in keyframe_times[0]]
    assert offsets == pytest.approx([0.0, 1.0, 2.0], abs=0.05)
    assert all(times == keyframe_times[0] for times in keyframe_times)


def test_poster_and_thumbnail_sprite_are_written(hd_transcode: TranscodeResult) -> None:
    out = hd_transcode.out_dir
    poster = subprocess.run(
        [
            find_tools().ffprobe or "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name,width,height",
            "-of",
            "json",
            str(out / hd_transcode.poster),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(poster)["streams"][0] == {"codec_name": "mjpeg", "width": 1280, "height": 720}
    sprite = json.loads(
        subprocess.run(
            [
                find_tools().ffprobe or "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "stream=width,height",
                "-of",
                "json",
                str(out / hd_transcode.sprite),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )["streams"][0]
    cues = [line for line in (out / hd_transcode.sprite_vtt).read_text().splitlines() if "#xywh=" in line]
    assert len(cues) == 3
    for cue in cues:
        name, _, coords = cue.partition("#xywh=")
        x, y, w, h = (int(value) for value in coords.split(","))
        assert name == hd_transcode.sprite
        assert (w, h) == (160, 90)
        assert x + w <= sprite["width"] and y + h <= sprite["height"]


def test_no_work_files_are_left_beside_or_inside_the_output(hd_transcode: TranscodeResult) -> None:
    siblings = sorted(path.name for path in hd_transcode.out_dir.parent.iterdir())
    assert siblings == ["asset", "source.mp4"]
    assert not list(hd_transcode.out_dir.rglob("*.log"))
