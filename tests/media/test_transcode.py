"""Running the transcode as a job: progress for the UI, and safe re-runs after a killed worker."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import m3u8
import pytest

from golive.media.ffmpeg import TranscodeFailed
from golive.media.ladder import transcode_vod
from golive.platform.settings import Settings

MakeVideo = Callable[..., Path]


class JobCancelled(Exception):
    """What a Huey task raises from its progress callback when the job was revoked."""


def child_ffmpeg_pids() -> list[int]:
    """ffmpeg processes started by this test process (read from /proc, no extra dependency)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        if parent == os.getpid() and name.startswith("ffmpeg"):
            pids.append(int(entry.name))
    return pids


def assert_complete_package(out_dir: Path, rendition_names: list[str]) -> None:
    master = m3u8.load(str(out_dir / "master.m3u8"))
    assert [playlist.uri for playlist in master.playlists] == [f"{n}/index.m3u8" for n in rendition_names]
    for name in rendition_names:
        media = m3u8.load(str(out_dir / name / "index.m3u8"))
        assert media.is_endlist
        for segment in media.segments:
            assert (out_dir / name / segment.uri).stat().st_size > 0
    for artefact in ("poster.jpg", "thumbs.jpg", "thumbs.vtt"):
        assert (out_dir / artefact).stat().st_size > 0


def test_progress_is_monotonic_and_reaches_100(make_video: MakeVideo, media_settings: Settings) -> None:
    source = make_video(size="640x360", duration=6.0)
    reports: list[float] = []

    transcode_vod(source, source.parent / "asset", media_settings, reports.append)

    assert len(reports) >= 2
    assert reports == sorted(reports)
    assert reports[-1] == 100.0
    assert all(0 <= value <= 100 for value in reports)


def test_progress_moves_through_the_middle_while_the_poster_and_sprite_wait_for_their_frames(
    make_video: MakeVideo, media_settings: Settings
) -> None:
    # ffmpeg holds every -progress report until each output has a first frame; the sprite sheet's only
    # frame used to come at the very end, so the bar jumped from 0 to 97 %.
    # long enough for several reports (every 0.25 s) even on an idle machine, where this takes about 2 s
    source = make_video(size="640x360", duration=20.0)
    reports: list[float] = []

    transcode_vod(source, source.parent / "asset", media_settings, reports.append)

    assert len({value for value in reports if 5 <= value <= 80}) >= 3, reports
    assert_complete_package(source.parent / "asset", ["360p"])


def test_killed_transcode_leaves_nothing_that_looks_finished_and_rerun_completes(
    make_video: MakeVideo, media_settings: Settings
) -> None:
    source = make_video(size="640x360", duration=6.0)
    out_dir = source.parent / "asset"
    killed: list[int] = []

    def kill_ffmpeg_midway(percent: float) -> None:
        if not killed and percent < 100:
            killed.extend(child_ffmpeg_pids())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    with pytest.raises(TranscodeFailed):
        transcode_vod(source, out_dir, media_settings, kill_ffmpeg_midway)
    assert killed
    assert not out_dir.exists()

    result = transcode_vod(source, out_dir, media_settings)

    assert [r.name for r in result.renditions] == ["360p"]
    assert result.renditions[0].duration == pytest.approx(6.0, abs=0.15)
    assert_complete_package(out_dir, ["360p"])
    assert sorted(path.name for path in out_dir.parent.iterdir()) == ["asset", "source.mp4"]


def test_cancelled_rerun_keeps_the_previous_complete_output(make_video: MakeVideo, media_settings: Settings) -> None:
    source = make_video(size="640x360", duration=6.0)
    out_dir = source.parent / "asset"
    transcode_vod(source, out_dir, media_settings)

    def cancel(percent: float) -> None:
        if percent < 100:
            raise JobCancelled

    with pytest.raises(JobCancelled):
        transcode_vod(source, out_dir, media_settings, cancel)

    assert not child_ffmpeg_pids()
    assert_complete_package(out_dir, ["360p"])


def test_mpeg_ts_segments_are_available_for_old_players(make_video: MakeVideo, media_settings: Settings) -> None:
    source = make_video(size="320x180", duration=2.0)

    result = transcode_vod(source, source.parent / "asset", media_settings, segment_type="mpegts")

    media = m3u8.load(str(result.out_dir / result.renditions[0].playlist))
    assert media.segments and all(segment.uri.endswith(".ts") for segment in media.segments)
    assert not media.segment_map
    assert "avc1." in result.renditions[0].codecs


def test_silent_video_gets_a_video_only_ladder(make_video: MakeVideo, media_settings: Settings) -> None:
    source = make_video(size="320x180", duration=2.0, audio=False)

    result = transcode_vod(source, source.parent / "asset", media_settings)

    assert result.renditions[0].codecs.startswith("avc1.") and "mp4a" not in result.renditions[0].codecs
    assert_complete_package(result.out_dir, ["180p"])
