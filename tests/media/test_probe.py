"""Uploads that are not a usable video are refused with a stable code before any transcode starts."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from golive.media.ffmpeg import FfmpegTools, MediaRejected, find_tools, probe, validate_upload_filename

MakeVideo = Callable[..., Path]

FFMPEG_ONLY = FfmpegTools(ffmpeg=find_tools().ffmpeg, ffprobe=None)
BOTH_PROBES = pytest.mark.parametrize("tools", [find_tools(), FFMPEG_ONLY], ids=["ffprobe", "ffmpeg-i"])


def cut_in_half(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def rejection_code(path: Path, tools: FfmpegTools, **options: object) -> str:
    with pytest.raises(MediaRejected) as caught:
        probe(path, tools=tools, **options)  # type: ignore[arg-type]
    assert caught.value.reason
    return caught.value.code


@BOTH_PROBES
def test_probe_reads_size_duration_and_codecs(make_video: MakeVideo, tools: FfmpegTools) -> None:
    source = make_video(size="320x180", duration=2.0)

    result = probe(source, tools=tools)

    assert (result.width, result.height) == (320, 180)
    assert result.duration == pytest.approx(2.0, abs=0.1)
    assert result.fps == pytest.approx(30, abs=0.5)
    assert (result.video_codec, result.audio_codec) == ("h264", "aac")
    assert result.has_video and result.has_audio
    assert result.bitrate and result.bitrate > 0


@BOTH_PROBES
def test_text_file_is_not_media(tmp_path: Path, tools: FfmpegTools) -> None:
    for name in ("notes.txt", "notes.mp4"):
        text = tmp_path / name
        text.write_text("hello, this is a shopping list and not a video\n" * 20)
        assert rejection_code(text, tools) == "not_media"


@BOTH_PROBES
def test_zero_length_file_is_refused(tmp_path: Path, tools: FfmpegTools) -> None:
    empty = tmp_path / "empty.mp4"
    empty.touch()
    assert rejection_code(empty, tools) == "empty_file"


@BOTH_PROBES
def test_mp4_cut_in_half_is_corrupt(make_video: MakeVideo, tmp_path: Path, tools: FfmpegTools) -> None:
    moov_at_end = make_video("end.mp4", duration=6.0)
    moov_at_start = make_video("start.mp4", duration=6.0, extra=("-movflags", "+faststart"))

    assert rejection_code(cut_in_half(moov_at_end, tmp_path / "a.mp4"), tools) == "corrupt"
    assert rejection_code(cut_in_half(moov_at_start, tmp_path / "b.mp4"), tools) == "corrupt"


@BOTH_PROBES
def test_matroska_cut_in_half_is_corrupt(make_video: MakeVideo, tmp_path: Path, tools: FfmpegTools) -> None:
    whole = make_video("whole.mkv", duration=6.0)
    assert rejection_code(cut_in_half(whole, tmp_path / "half.mkv"), tools) == "corrupt"


@BOTH_PROBES
def test_png_image_is_refused(tmp_path: Path, tools: FfmpegTools) -> None:
    image = tmp_path / "still.png"
    subprocess.run(
        [find_tools().ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x180", "-frames:v", "1", str(image)],
        check=True,
    )
    assert rejection_code(image, tools) == "image_only"


@BOTH_PROBES
def test_single_jpeg_frame_in_a_container_is_refused(tmp_path: Path, tools: FfmpegTools) -> None:
    still = tmp_path / "still.mkv"
    subprocess.run(
        [
            find_tools().ffmpeg,
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=320x180",
            "-frames:v",
            "1",
            "-c:v",
            "mjpeg",
            str(still),
        ],
        check=True,
    )
    assert rejection_code(still, tools) in {"image_only", "corrupt"}


@BOTH_PROBES
def test_audio_only_is_refused_when_video_is_required(make_video: MakeVideo, tools: FfmpegTools) -> None:
    sound = make_video("sound.m4a", video=False, duration=2.0)

    assert rejection_code(sound, tools) == "audio_only"
    assert probe(sound, tools=tools, require_video=False).has_audio


@pytest.mark.parametrize("name", ["../etc/passwd.mp4", "a/b.mp4", "a\\b.mp4", "..", ".hidden.mp4", "", "a\x00.mp4"])
def test_file_names_with_paths_or_traversal_are_refused(make_video: MakeVideo, name: str) -> None:
    source = make_video()
    with pytest.raises(MediaRejected) as caught:
        probe(source, original_name=name)
    assert caught.value.code == "bad_filename"


def test_ordinary_file_names_are_accepted() -> None:
    assert validate_upload_filename("Keynote 2024 (final).mp4") == "Keynote 2024 (final).mp4"


def test_playlists_that_point_at_other_files_are_refused(tmp_path: Path) -> None:
    playlist = tmp_path / "evil.m3u8"
    playlist.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n")
    with pytest.raises(MediaRejected) as caught:
        probe(playlist)
    assert caught.value.code in {"unsupported_format", "not_media"}
