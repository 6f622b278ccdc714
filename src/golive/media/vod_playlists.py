"""The on-demand master and I-frame playlists, written from what ffmpeg really wrote.

ffmpeg's own master declares BANDWIDTH from the encoder's settings (below the real peak for small
rungs), and has no AVERAGE-BANDWIDTH, FRAME-RATE, EXT-X-INDEPENDENT-SEGMENTS or I-frame playlists.
So after the transcode every rendition's segments are measured (RFC 8216 4.3.4.2: the peak is the
largest bit rate of any run of segments lasting 0.5 to 1.5 target durations; the average is all
bytes over all seconds) and the master is written again from those figures.

I-frame playlists (`EXT-X-I-FRAMES-ONLY`, for scrubbing on TVs and Apple devices) point with
EXT-X-BYTERANGE into the same segments, so nothing more is stored. ffprobe reads every video packet
of a rendition once (init section + segments as one stream) and gives each keyframe's offset and
size: an entry runs from the segment's start (the fMP4 fragment header, or the MPEG-TS PAT/PMT)
to the keyframe's last byte (fMP4) or the next video packet (MPEG-TS). Without ffprobe (the wheel's
ffmpeg) a master has no I-frame streams.
"""

from __future__ import annotations

import bisect
import contextlib
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import m3u8

from golive.media.ffmpeg import find_tools

IFRAME_PLAYLIST = "iframes.m3u8"
# Every video packet's pts_time,size,pos,flags (ffprobe's own column order), from the joined stream on stdin.
_PACKETS: tuple[str, ...] = ("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,pos,size,flags")
_PACKETS += ("-of", "csv=p=0", "-i", "pipe:0")


@dataclass(frozen=True)
class SegmentFile:
    uri: str
    duration: float
    size: int


@dataclass(frozen=True)
class Bitrates:
    peak: int
    average: int


@dataclass(frozen=True)
class IFrame:
    uri: str
    offset: int
    length: int
    duration: float


@dataclass(frozen=True)
class VariantFacts:
    """One rendition as the master describes it."""

    uri: str
    width: int
    height: int
    codecs: str
    bitrates: Bitrates
    iframes_uri: str | None = None
    iframe_bitrates: Bitrates | None = None


def measure(segments: Sequence[SegmentFile], target_duration: float) -> Bitrates:
    """Peak and average segment bit rate (bits per second), as RFC 8216 defines them."""
    total_bytes = sum(s.size for s in segments)
    total_seconds = sum(s.duration for s in segments)
    average = round(total_bytes * 8 / total_seconds) if total_seconds > 0 else 0
    low, high = 0.5 * target_duration, 1.5 * target_duration
    peak = 0.0
    for start in range(len(segments)):
        seconds, size = 0.0, 0
        for segment in segments[start:]:
            seconds += segment.duration
            size += segment.size
            if seconds > high:
                break
            if seconds >= low:
                peak = max(peak, size * 8 / seconds)
    return Bitrates(peak=max(round(peak), average), average=average)


def rendition_segments(playlist: m3u8.M3U8, folder: Path) -> list[SegmentFile]:
    return [
        SegmentFile(str(segment.uri), float(segment.duration or 0.0), (folder / str(segment.uri)).stat().st_size)
        for segment in playlist.segments
    ]


def find_iframes(folder: Path, playlist: m3u8.M3U8, ffprobe: str) -> list[IFrame]:
    """Every keyframe of the rendition as a byte range of its segment (see the module docstring)."""
    init = folder / str(playlist.segment_map[0].uri) if playlist.segment_map else None
    parts = ([init] if init is not None else []) + [folder / str(s.uri) for s in playlist.segments]
    starts, position = [], 0
    for file in parts:
        starts.append(position)
        position += file.stat().st_size
    packets = _video_packets(parts, ffprobe)
    first_segment = 1 if init is not None else 0
    fragmented = init is not None
    found: list[tuple[float, int, int, int]] = []  # (pts, segment index, offset, end)
    seen_parts: set[int] = set()
    for index, (pts, pos, size, keyframe) in enumerate(packets):
        part = _part_of(starts, pos)
        first_in_segment = part not in seen_parts
        seen_parts.add(part)
        if not keyframe or part < first_segment:
            continue
        segment_start = starts[part]
        segment_end = starts[part + 1] if part + 1 < len(starts) else position
        offset = 0 if fragmented or first_in_segment else pos - segment_start
        if fragmented:
            end = pos + size
        else:
            next_position = packets[index + 1][1] if index + 1 < len(packets) else segment_end
            end = min(next_position, segment_end)
        found.append((pts, part - first_segment, offset, min(end, segment_end) - segment_start))
    total = sum(float(s.duration or 0.0) for s in playlist.segments)
    iframes = []
    for number, (pts, segment_index, offset, end) in enumerate(found):
        next_pts = found[number + 1][0] if number + 1 < len(found) else found[0][0] + total
        uri = str(playlist.segments[segment_index].uri)
        iframes.append(IFrame(uri, offset, end - offset, max(next_pts - pts, 0.0)))
    return [frame for frame in iframes if frame.duration > 0 and frame.length > 0]


def _video_packets(parts: Sequence[Path], ffprobe: str) -> list[tuple[float, int, int, bool]]:
    """(pts, position, size, keyframe) of every video packet, in file order, the parts read as one stream."""
    process = subprocess.Popen(
        [ffprobe, *_PACKETS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    writer = threading.Thread(target=_feed, args=(process.stdin, parts), daemon=True)
    writer.start()
    packets = []
    for raw in process.stdout:
        fields = raw.decode(errors="replace").strip().split(",")  # pts_time,size,pos,flags
        if len(fields) < 4 or not fields[1].isdigit() or not fields[2].isdigit():
            continue
        try:
            pts = float(fields[0])
        except ValueError:
            continue
        packets.append((pts, int(fields[2]), int(fields[1]), "K" in fields[3]))
    writer.join()
    if process.wait() != 0:
        return []
    packets.sort(key=lambda packet: packet[1])
    return packets


def _feed(stdin: IO[bytes], parts: Sequence[Path]) -> None:
    """The rendition's files into ffprobe, one after the other (never all in memory)."""
    try:
        for part in parts:
            with part.open("rb") as handle:
                shutil.copyfileobj(handle, stdin, 1 << 20)
    except BrokenPipeError:
        pass
    finally:
        with contextlib.suppress(BrokenPipeError):
            stdin.close()


def _part_of(starts: Sequence[int], position: int) -> int:
    """Which file (by start offset, ascending) holds this position of the joined stream."""
    return max(bisect.bisect_right(starts, position) - 1, 0)


def render_iframe_playlist(iframes: Sequence[IFrame], init_uri: str | None) -> str:
    target = max(1, round(max(frame.duration for frame in iframes)))
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        "#EXT-X-I-FRAMES-ONLY",
    ]
    if init_uri:
        lines.append(f'#EXT-X-MAP:URI="{init_uri}"')
    for frame in iframes:
        lines += [f"#EXTINF:{frame.duration:.6f},", f"#EXT-X-BYTERANGE:{frame.length}@{frame.offset}", frame.uri]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def iframe_bitrates(iframes: Sequence[IFrame]) -> Bitrates:
    return measure([SegmentFile(f.uri, f.duration, f.length) for f in iframes], max(f.duration for f in iframes))


def render_master(variants: Sequence[VariantFacts], frame_rate: float | None) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for variant in variants:
        attributes = [
            f"BANDWIDTH={variant.bitrates.peak}",
            f"AVERAGE-BANDWIDTH={variant.bitrates.average}",
            f"RESOLUTION={variant.width}x{variant.height}",
        ]
        if frame_rate:
            attributes.append(f"FRAME-RATE={frame_rate:.3f}")
        attributes.append(f'CODECS="{variant.codecs}"')
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attributes), variant.uri]
    for variant in variants:
        if variant.iframes_uri is None or variant.iframe_bitrates is None:
            continue
        video = variant.codecs.split(",")[0]
        lines.append(
            f"#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH={variant.iframe_bitrates.peak},"
            f"AVERAGE-BANDWIDTH={variant.iframe_bitrates.average},RESOLUTION={variant.width}x{variant.height},"
            f'CODECS="{video}",URI="{variant.iframes_uri}"'
        )
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class RenditionFolder:
    """What the ladder knows of one rendition before its master line is written."""

    name: str
    playlist: str  # relative to the asset folder, e.g. 720p/index.m3u8
    width: int
    height: int
    codecs: str


def write_vod_playlists(
    out_dir: Path, renditions: Sequence[RenditionFolder], frame_rate: float | None
) -> tuple[str, dict[str, Bitrates]]:
    """Measure every rendition and write its I-frame playlist; the master's text and each one's figures."""
    ffprobe = find_tools().ffprobe
    variants = []
    for rendition in renditions:
        folder = (out_dir / rendition.playlist).parent
        playlist = m3u8.load(str(out_dir / rendition.playlist))
        bitrates = measure(rendition_segments(playlist, folder), float(playlist.target_duration or 1))
        iframes = find_iframes(folder, playlist, ffprobe) if ffprobe else []
        iframes_uri = None
        if iframes:
            init = str(playlist.segment_map[0].uri) if playlist.segment_map else None
            (folder / IFRAME_PLAYLIST).write_text(render_iframe_playlist(iframes, init))
            iframes_uri = f"{rendition.name}/{IFRAME_PLAYLIST}"
        variants.append(
            VariantFacts(
                uri=rendition.playlist,
                width=rendition.width,
                height=rendition.height,
                codecs=rendition.codecs,
                bitrates=bitrates,
                iframes_uri=iframes_uri,
                iframe_bitrates=iframe_bitrates(iframes) if iframes else None,
            )
        )
    measured = {rendition.name: variant.bitrates for rendition, variant in zip(renditions, variants, strict=True)}
    return render_master(variants, frame_rate), measured
