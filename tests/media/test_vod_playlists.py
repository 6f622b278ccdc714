"""The on-demand master tells players the truth: bandwidth measured from the segments (peak and average),
frame rate, independent segments, and I-frame playlists whose byte ranges each hold one decodable keyframe."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from golive.media.ffmpeg import find_tools
from golive.media.ladder import SegmentType, transcode_vod
from golive.platform.settings import Settings
from tests.hls_strict import attributes, parse_master, parse_media

from .conftest import SMALL_LADDER

MakeVideo = Callable[..., Path]
FRAME_TYPES = ("-v", "quiet", "-select_streams", "v:0", "-show_entries", "frame=pict_type", "-of", "json", "-i", "-")


@pytest.fixture(scope="module", params=["fmp4", "mpegts"])
def asset(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, video_file_maker: MakeVideo
) -> Path:
    segment_type: SegmentType = request.param
    work = tmp_path_factory.mktemp(f"vod-{segment_type}")
    source = video_file_maker(work / "source.mp4", size="640x360", duration=4.0, fps=25)
    settings = Settings(data_dir=work / "data", secret_key="test-secret", segment_seconds=1, ladder=SMALL_LADDER)
    transcode_vod(source, work / "asset", settings, segment_type=segment_type)
    return work / "asset"


def test_the_master_declares_measured_bandwidth_frame_rate_and_independent_segments(asset: Path) -> None:
    text = (asset / "master.m3u8").read_text()
    master = parse_master(text)
    assert "#EXT-X-INDEPENDENT-SEGMENTS" in text.splitlines()
    assert [p.uri for p in master.playlists] == ["360p/index.m3u8", "180p/index.m3u8"]
    for variant in master.playlists:
        info = variant.stream_info
        assert info.frame_rate == pytest.approx(25.0)
        media = parse_media((asset / variant.uri).read_text(), ended=True)
        folder = (asset / variant.uri).parent
        sizes = [(folder / s.uri).stat().st_size for s in media.segments]
        durations = [float(s.duration) for s in media.segments]
        rates = [size * 8 / duration for size, duration in zip(sizes, durations, strict=True)]
        # BANDWIDTH is a peak no segment exceeds (ffmpeg's own figure fell below the 180p rung's real peak).
        assert info.bandwidth >= max(rates) - 1
        assert info.bandwidth <= max(rates) * 1.01
        assert info.average_bandwidth == pytest.approx(sum(sizes) * 8 / sum(durations), abs=1)
        assert info.average_bandwidth <= info.bandwidth


def test_every_rendition_has_an_iframe_playlist_of_decodable_keyframes(asset: Path) -> None:
    master = parse_master((asset / "master.m3u8").read_text())
    assert len(master.iframe_playlists) == len(master.playlists)
    ffprobe = find_tools().ffprobe
    assert ffprobe is not None
    for iframe, variant in zip(master.iframe_playlists, master.playlists, strict=True):
        assert iframe.uri == variant.uri.replace("index.m3u8", "iframes.m3u8")
        info = iframe.iframe_stream_info
        assert info.resolution == variant.stream_info.resolution
        assert info.codecs == variant.stream_info.codecs.split(",")[0]  # video only
        text = (asset / iframe.uri).read_text()
        playlist = parse_media(text, ended=True)
        assert "#EXT-X-I-FRAMES-ONLY" in text.splitlines() and playlist.is_i_frames_only
        media = parse_media((asset / variant.uri).read_text(), ended=True)
        assert len(playlist.segments) == len(media.segments)  # a keyframe at every segment start
        assert sum(s.duration for s in playlist.segments) == pytest.approx(sum(s.duration for s in media.segments))
        folder = (asset / iframe.uri).parent
        init = (folder / playlist.segment_map[0].uri).read_bytes() if playlist.segment_map else b""
        for entry in playlist.segments:
            length, offset = (int(part) for part in entry.byterange.split("@"))
            data = (folder / entry.uri).read_bytes()
            assert offset + length <= len(data)
            frames = _decoded_frames(ffprobe, init + data[offset : offset + length])
            assert [frame["pict_type"] for frame in frames] == ["I"], entry.uri
        bytes_total = sum(int(s.byterange.split("@")[0]) for s in playlist.segments)
        assert info.average_bandwidth == pytest.approx(bytes_total * 8 / sum(s.duration for s in playlist.segments), 1)


def _decoded_frames(ffprobe: str, data: bytes) -> list[dict[str, str]]:
    probed = subprocess.run(
        [ffprobe, *FRAME_TYPES],
        input=data,
        capture_output=True,
        check=True,
    )
    frames: list[dict[str, str]] = json.loads(probed.stdout).get("frames", [])
    return frames


def test_attribute_lists_are_read_strictly() -> None:
    """The strict reader itself: what m3u8 would let through."""
    assert attributes('#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="a,b"') == {"BANDWIDTH": "1", "CODECS": '"a,b"'}
    for bad in ("#X:BANDWIDTH=1,BANDWIDTH=2", "#X:BANDWIDTH=1, CODECS=x", '#X:CODECS="a', "#X:bandwidth=1"):
        with pytest.raises(AssertionError):
            attributes(bad)
