"""The playlists viewers get while live, written from ffmpeg's own (`raw.m3u8`) on every change.

Why not serve ffmpeg's playlists as they are:
- ffmpeg 5.1 never writes EXT-X-DISCONTINUITY-SEQUENCE, so once the discontinuity of a reconnect slid
  out of the window, players could no longer match segments across renditions (RFC 8216 6.2.1).
  We remember every discontinuity's media sequence number and write the count of those that left.
- one ffmpeg list is long (the DVR window); most viewers only need the live edge. We cut two views
  from it: `index.m3u8` (the sliding window) and `dvr.m3u8` (everything still on disk).
- the master: ffmpeg writes no CODECS for the passthrough rendition; we know them from the stream.
- the end: `#EXT-X-ENDLIST` is written when the event ends, not when a publisher drops (the next
  ffmpeg appends after a discontinuity and viewers never reload).

Segment blocks are copied line by line (EXTINF, PROGRAM-DATE-TIME, DISCONTINUITY), like the media
domain's signer does, so nothing ffmpeg writes is lost.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

RAW_PLAYLIST = "raw.m3u8"
LIVE_PLAYLIST = "index.m3u8"
DVR_PLAYLIST = "dvr.m3u8"
MASTER_PLAYLIST = "master.m3u8"
DVR_MASTER_PLAYLIST = "dvr.m3u8"

_SEGMENT_NUMBER = re.compile(r"(\d+)\.ts$")


@dataclass(frozen=True)
class Segment:
    sequence: int
    uri: str
    duration: float
    discontinuity: bool
    # The segment's own tag lines as ffmpeg wrote them (EXTINF, PROGRAM-DATE-TIME, DISCONTINUITY, ...).
    lines: tuple[str, ...]


@dataclass(frozen=True)
class MediaPlaylist:
    version: int
    target_duration: int
    media_sequence: int
    independent: bool
    segments: tuple[Segment, ...]


def parse_media_playlist(text: str) -> MediaPlaylist:
    """ffmpeg's live media playlist; tolerant of tags it may add (they stay with their segment)."""
    version, target, sequence, independent = 3, 1, 0, False
    segments: list[Segment] = []
    pending: list[str] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line or line == "#EXTM3U":
            continue
        if line.startswith("#EXT-X-VERSION:"):
            version = _int(line, version)
        elif line.startswith("#EXT-X-TARGETDURATION:"):
            target = _int(line, target)
        elif line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = _int(line, sequence)
        elif line == "#EXT-X-INDEPENDENT-SEGMENTS":
            independent = True
        elif line.startswith(("#EXT-X-ENDLIST", "#EXT-X-PLAYLIST-TYPE", "#EXT-X-DISCONTINUITY-SEQUENCE")):
            continue
        elif line.startswith("#"):
            pending.append(line)
        else:
            duration = 0.0
            for tag in pending:
                if tag.startswith("#EXTINF:"):
                    duration = _float(tag[len("#EXTINF:") :].split(",", 1)[0])
            segments.append(
                Segment(
                    sequence=sequence + len(segments),
                    uri=line,
                    duration=duration,
                    discontinuity="#EXT-X-DISCONTINUITY" in pending,
                    lines=tuple(pending),
                )
            )
            pending = []
    return MediaPlaylist(version, target, sequence, independent, tuple(segments))


def segment_number(uri: str) -> int | None:
    match = _SEGMENT_NUMBER.search(uri)
    return int(match.group(1)) if match else None


@dataclass
class VariantHistory:
    """What must outlive ffmpeg's window: where discontinuities were, the largest target duration."""

    discontinuities: set[int] = field(default_factory=set)
    target_duration: int = 1

    def observe(self, playlist: MediaPlaylist) -> None:
        self.discontinuities.update(s.sequence for s in playlist.segments if s.discontinuity)
        longest = max((s.duration for s in playlist.segments), default=0.0)
        # RFC 8216 4.3.3.1: every EXTINF rounded to the nearest integer <= the target (ffmpeg rounds up,
        # which turns a 1.03 s first segment into a 2 s target); and the target must never change downwards.
        self.target_duration = max(self.target_duration, int(longest + 0.5))

    def discontinuity_sequence(self, first_sequence: int) -> int:
        """Discontinuities before the window's first segment: the tags that have left the playlist."""
        return sum(1 for sequence in self.discontinuities if sequence < first_sequence)


def render_media_playlist(
    playlist: MediaPlaylist, history: VariantHistory, *, window_seconds: float, ended: bool
) -> str:
    """The newest segments covering `window_seconds` (at least 3, so players can start), as a live playlist."""
    segments = _window(playlist.segments, window_seconds)
    first = segments[0].sequence if segments else playlist.media_sequence + len(playlist.segments)
    lines = [
        "#EXTM3U",
        f"#EXT-X-VERSION:{max(playlist.version, 3)}",
        f"#EXT-X-TARGETDURATION:{history.target_duration}",
        f"#EXT-X-MEDIA-SEQUENCE:{first}",
        f"#EXT-X-DISCONTINUITY-SEQUENCE:{history.discontinuity_sequence(first)}",
    ]
    if playlist.independent:
        lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
    for segment in segments:
        lines.extend(segment.lines)
        lines.append(segment.uri)
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _window(segments: Sequence[Segment], seconds: float) -> Sequence[Segment]:
    total = 0.0
    start = len(segments)
    while start > 0 and (total < seconds or len(segments) - start < 3):
        start -= 1
        total += segments[start].duration
    return segments[start:]


@dataclass(frozen=True)
class VariantEntry:
    """One line pair of the master playlist."""

    name: str
    bandwidth: int
    width: int
    height: int
    codecs: str
    frame_rate: float | None = None


def render_master(variants: Iterable[VariantEntry], playlist_name: str) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for variant in variants:
        attributes = [f"BANDWIDTH={variant.bandwidth}", f"RESOLUTION={variant.width}x{variant.height}"]
        if variant.frame_rate:
            attributes.append(f"FRAME-RATE={variant.frame_rate:.3f}")
        attributes.append(f'CODECS="{variant.codecs}"')
        lines.append("#EXT-X-STREAM-INF:" + ",".join(attributes))
        lines.append(f"{variant.name}/{playlist_name}")
    return "\n".join(lines) + "\n"


def _int(line: str, default: int) -> int:
    try:
        return int(line.split(":", 1)[1].strip())
    except (IndexError, ValueError):
        return default


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return 0.0
    return value if math.isfinite(value) and value >= 0 else 0.0
