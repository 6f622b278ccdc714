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
- BANDWIDTH: what each rendition really sends, measured from its segments (the passthrough's
  announced bitrate is often far off), and an encoded rung never declares more than the source.
- EXT-X-PROGRAM-DATE-TIME: ffmpeg dates segments from when its muxer started (about a second after
  the first frame arrived, and a frame apart between renditions). We date every segment from the
  wall-clock time the ingest received the first frame of that ffmpeg's input, plus the durations of
  the segments before it in the first rendition, so one segment has one date in every rendition.

Segment blocks are copied line by line (EXTINF, PROGRAM-DATE-TIME, DISCONTINUITY), like the media
domain's signer does, so nothing ffmpeg writes is lost.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

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


@dataclass(frozen=True)
class Measured:
    """Peak and average segment bit rates (bits per second) of what a rendition wrote."""

    peak: int
    average: int


@dataclass
class VariantHistory:
    """What must outlive ffmpeg's window: where discontinuities were, the largest target duration, and
    what the rendition has sent (bytes and seconds of every segment so far, the highest peak)."""

    discontinuities: set[int] = field(default_factory=set)
    target_duration: int = 1
    bytes_sent: int = 0
    seconds_sent: float = 0.0
    peak: int = 0
    measured_through: int = -1  # the last segment sequence counted in bytes_sent

    @property
    def measured(self) -> Measured | None:
        if self.seconds_sent <= 0:
            return None
        average = round(self.bytes_sent * 8 / self.seconds_sent)
        return Measured(peak=max(self.peak, average), average=average)

    def observe(self, playlist: MediaPlaylist) -> None:
        self.discontinuities.update(s.sequence for s in playlist.segments if s.discontinuity)
        longest = max((s.duration for s in playlist.segments), default=0.0)
        # RFC 8216 4.3.3.1: every EXTINF rounded to the nearest integer <= the target (ffmpeg rounds up,
        # which turns a 1.03 s first segment into a 2 s target); and the target must never change downwards.
        self.target_duration = max(self.target_duration, int(longest + 0.5))

    def discontinuity_sequence(self, first_sequence: int) -> int:
        """Discontinuities before the window's first segment: the tags that have left the playlist."""
        return sum(1 for sequence in self.discontinuities if sequence < first_sequence)


@dataclass
class Anchor:
    """The wall-clock time (unix seconds) of the first frame of the ffmpeg whose first segment is `sequence`."""

    sequence: int
    at: float


def segment_dates(playlist: MediaPlaylist, anchors: Sequence[Anchor], known: dict[int, float]) -> dict[int, float]:
    """Each segment's first-frame time (unix seconds), from the anchors and the durations before it.

    `known` holds the dates already given (kept between calls, as segments leave the list); returns it
    pruned to this playlist's segments.
    """
    by_sequence = {anchor.sequence: anchor.at for anchor in anchors}
    previous: Segment | None = None
    for segment in playlist.segments:
        if segment.sequence in by_sequence:
            known[segment.sequence] = by_sequence[segment.sequence]
        elif segment.sequence not in known and previous is not None and previous.sequence in known:
            known[segment.sequence] = known[previous.sequence] + previous.duration
        previous = segment
    first = playlist.segments[0].sequence if playlist.segments else 0
    for sequence in [number for number in known if number < first]:
        del known[sequence]
    return known


def _program_date_time(at: float) -> str:
    stamp = datetime.fromtimestamp(at, UTC)
    return f"#EXT-X-PROGRAM-DATE-TIME:{stamp.strftime('%Y-%m-%dT%H:%M:%S')}.{stamp.microsecond // 1000:03d}Z"


def _dated(segment: Segment, dates: Mapping[int, float] | None) -> tuple[str, ...]:
    """The segment's lines with our date; ffmpeg's is dropped even when ours is not known yet (a player
    extrapolates from the previous one) so renditions never disagree. Without `dates`, ffmpeg's stays."""
    if dates is None:
        return segment.lines
    lines = [line for line in segment.lines if not line.startswith("#EXT-X-PROGRAM-DATE-TIME:")]
    at = dates.get(segment.sequence)
    if at is None:
        return tuple(lines)
    extinf = next((i for i, line in enumerate(lines) if line.startswith("#EXTINF:")), len(lines))
    lines.insert(extinf, _program_date_time(at))
    return tuple(lines)


def render_media_playlist(
    playlist: MediaPlaylist,
    history: VariantHistory,
    *,
    window_seconds: float,
    ended: bool,
    dates: Mapping[int, float] | None = None,
) -> str:
    """The newest segments covering `window_seconds` (at least 3, so players can start), as a live playlist.

    `dates` (segment sequence -> unix seconds of its first frame) replace ffmpeg's EXT-X-PROGRAM-DATE-TIME.
    """
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
        lines.extend(_dated(segment, dates))
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
    """One line pair of the master playlist; `bandwidth` is the estimate until segments are measured."""

    name: str
    bandwidth: int
    width: int
    height: int
    codecs: str
    frame_rate: float | None = None
    passthrough: bool = False


def declared_bandwidths(
    variants: Sequence[VariantEntry], measured: Mapping[str, Measured]
) -> dict[str, tuple[int, int | None]]:
    """(BANDWIDTH, AVERAGE-BANDWIDTH) per rendition: measured where it can be, an encoded rung capped at the source."""
    declared: dict[str, tuple[int, int | None]] = {}
    for variant in variants:
        figures = measured.get(variant.name)
        declared[variant.name] = (figures.peak, figures.average) if figures else (variant.bandwidth, None)
    source = next((v for v in variants if v.passthrough), None)
    if source is None:
        return declared
    source_peak, source_average = declared[source.name]
    for variant in variants:
        if variant is source:
            continue
        peak, average = declared[variant.name]
        capped_average = None if average is None else min(average, source_average or average, source_peak)
        declared[variant.name] = (min(peak, source_peak), capped_average)
    return declared


def render_master(
    variants: Sequence[VariantEntry], playlist_name: str, measured: Mapping[str, Measured] | None = None
) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    declared = declared_bandwidths(variants, measured or {})
    for variant in variants:
        peak, average = declared[variant.name]
        attributes = [f"BANDWIDTH={peak}"]
        if average is not None:
            attributes.append(f"AVERAGE-BANDWIDTH={average}")
        attributes.append(f"RESOLUTION={variant.width}x{variant.height}")
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
