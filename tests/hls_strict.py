"""A strict reading of HLS playlists (RFC 8216) for the tests: every playlist the app or nginx serves goes
through here, so output that only a lenient player accepts fails a test.

`m3u8.loads(strict=True)` refuses unknown lines and some version mismatches; on top of it we check what
it lets through: the header, attribute-list syntax and duplicates, required attributes, EXTINF against
the target duration, tag order, version requirements of BYTERANGE/I-FRAMES-ONLY/EXT-X-MAP, dates.
"""

from __future__ import annotations

import re
from datetime import datetime

import m3u8

_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"\r\n]*"|[^",\s]+)')
_MASTER_TAGS = ("#EXT-X-STREAM-INF", "#EXT-X-I-FRAME-STREAM-INF", "#EXT-X-MEDIA:", "#EXT-X-SESSION-")
_SEGMENT_TAGS = ("#EXTINF", "#EXT-X-TARGETDURATION", "#EXT-X-MEDIA-SEQUENCE", "#EXT-X-BYTERANGE")


class PlaylistError(AssertionError):
    pass


def attributes(line: str) -> dict[str, str]:
    """An attribute list, refusing anything RFC 8216 4.2 does not allow (and duplicate names)."""
    body = line.split(":", 1)[1]
    found: dict[str, str] = {}
    position = 0
    while position < len(body):
        match = _ATTRIBUTE.match(body, position)
        if match is None:
            raise PlaylistError(f"bad attribute list at {body[position:]!r} in {line!r}")
        name, value = match.group(1), match.group(2)
        if name in found:
            raise PlaylistError(f"attribute {name} twice in {line!r}")
        found[name] = value
        position = match.end()
        if position < len(body):
            if body[position] != ",":
                raise PlaylistError(f"expected a comma at {body[position:]!r} in {line!r}")
            position += 1
    return found


def _lines(text: str) -> list[str]:
    if not text.startswith("#EXTM3U\n"):
        raise PlaylistError("a playlist starts with #EXTM3U on its own line")
    lines = [line for line in text.split("\n") if line.strip()]
    for line in lines:
        if line != line.strip():
            raise PlaylistError(f"stray whitespace around {line!r}")
    versions = [line for line in lines if line.startswith("#EXT-X-VERSION:")]
    if len(versions) != 1:
        raise PlaylistError(f"EXT-X-VERSION must appear once, found {len(versions)}")
    return lines


def _version(lines: list[str]) -> int:
    return int(next(line for line in lines if line.startswith("#EXT-X-VERSION:")).split(":", 1)[1])


def parse_master(text: str) -> m3u8.M3U8:
    lines = _lines(text)
    if any(line.startswith(_SEGMENT_TAGS) for line in lines):
        raise PlaylistError("a master playlist holds no media segment tags")
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            values = attributes(line)
            for required in ("BANDWIDTH", "CODECS", "RESOLUTION"):
                if required not in values:
                    raise PlaylistError(f"{required} missing in {line!r}")
            if "AVERAGE-BANDWIDTH" in values and int(values["AVERAGE-BANDWIDTH"]) > int(values["BANDWIDTH"]):
                raise PlaylistError(f"AVERAGE-BANDWIDTH above BANDWIDTH in {line!r}")
            if index + 1 >= len(lines) or lines[index + 1].startswith("#"):
                raise PlaylistError(f"no URI line after {line!r}")
        elif line.startswith("#EXT-X-I-FRAME-STREAM-INF:"):
            values = attributes(line)
            for required in ("BANDWIDTH", "URI", "CODECS"):
                if required not in values:
                    raise PlaylistError(f"{required} missing in {line!r}")
            if "FRAME-RATE" in values:
                raise PlaylistError(f"FRAME-RATE is not allowed on {line!r}")
    playlist = m3u8.M3U8(text, strict=True)
    if not playlist.is_variant:
        raise PlaylistError("not a master playlist")
    return playlist


def parse_media(text: str, *, ended: bool | None = None) -> m3u8.M3U8:
    """A media playlist; `ended` requires (True) or forbids (False) EXT-X-ENDLIST."""
    lines = _lines(text)
    if any(line.startswith(_MASTER_TAGS) for line in lines):
        raise PlaylistError("a media playlist holds no master tags")
    version = _version(lines)
    targets = [line for line in lines if line.startswith("#EXT-X-TARGETDURATION:")]
    if len(targets) != 1:
        raise PlaylistError("EXT-X-TARGETDURATION must appear once")
    target = int(targets[0].split(":", 1)[1])
    first_segment = next((i for i, line in enumerate(lines) if line.startswith("#EXTINF:")), len(lines))
    for tag in ("#EXT-X-MEDIA-SEQUENCE:", "#EXT-X-DISCONTINUITY-SEQUENCE:", "#EXT-X-PLAYLIST-TYPE:"):
        positions = [i for i, line in enumerate(lines) if line.startswith(tag)]
        if len(positions) > 1 or any(position > first_segment for position in positions):
            raise PlaylistError(f"{tag} must appear at most once, before the first segment")
    iframes_only = "#EXT-X-I-FRAMES-ONLY" in lines
    if iframes_only and version < 4:
        raise PlaylistError("EXT-X-I-FRAMES-ONLY needs version 4")
    if any(line.startswith("#EXT-X-BYTERANGE:") for line in lines) and version < 4:
        raise PlaylistError("EXT-X-BYTERANGE needs version 4")
    if any(line.startswith("#EXT-X-MAP:") for line in lines) and version < (5 if iframes_only else 6):
        raise PlaylistError("EXT-X-MAP needs version 5 (I-frames only) or 6")
    expecting_uri = False
    for line in lines:
        if line.startswith("#EXTINF:"):
            duration = float(line.split(":", 1)[1].split(",", 1)[0])
            if "," not in line or duration <= 0:
                raise PlaylistError(f"bad EXTINF {line!r}")
            if round(duration) > target:
                raise PlaylistError(f"{line!r} is longer than EXT-X-TARGETDURATION:{target}")
            expecting_uri = True
        elif line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
            stamp = datetime.fromisoformat(line.split(":", 1)[1].replace("Z", "+00:00"))
            if stamp.tzinfo is None:
                raise PlaylistError(f"{line!r} has no time zone")
        elif line.startswith(("#EXT-X-MAP:", "#EXT-X-KEY:")):
            attributes(line)
        elif not line.startswith("#"):
            if not expecting_uri:
                raise PlaylistError(f"URI {line!r} without its EXTINF")
            expecting_uri = False
    if expecting_uri:
        raise PlaylistError("the last EXTINF has no URI")
    playlist = m3u8.M3U8(text, strict=True)
    if playlist.is_variant:
        raise PlaylistError("not a media playlist")
    if ended is not None and bool(playlist.is_endlist) != ended:
        raise PlaylistError("EXT-X-ENDLIST " + ("missing" if ended else "in a live playlist"))
    if playlist.playlist_type == "vod" and not playlist.is_endlist:
        raise PlaylistError("a VOD playlist ends with EXT-X-ENDLIST")
    return playlist


def parse(text: str) -> m3u8.M3U8:
    """Either kind, read strictly: a master if it lists variants, else a media playlist."""
    return parse_master(text) if "#EXT-X-STREAM-INF:" in text else parse_media(text)
