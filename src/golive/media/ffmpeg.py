"""Finding ffmpeg and probing uploads (running a transcode is `golive.media.ffmpeg_run`).

Uploads are untrusted: `probe` turns every kind of bad file into a `MediaRejected` with a stable
code, so the caller can answer with a clear 4xx and never start a transcode that will fail later.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ProgressCallback = Callable[[float], None]

# Codecs that only ever carry still pictures (or a handful of them) when they are the only video.
IMAGE_CODECS = frozenset(
    {
        "png",
        "mjpeg",
        "jpeg2000",
        "jpegls",
        "bmp",
        "gif",
        "webp",
        "tiff",
        "apng",
        "ppm",
        "pgm",
        "pam",
        "targa",
        "qoi",
        "jpegxl",
        "exr",
        "sgi",
        "photocd",
        "pcx",
        "xbm",
        "xpm",
        "dds",
        "hdr",
    }
)
# Demuxers ffmpeg only picks for text and ANSI art; such a "video" is never something to publish.
TEXT_FORMATS = frozenset({"tty", "bintext", "xbin", "adf", "idf", "srt", "webvtt", "ass", "subviewer"})
# Demuxers an upload may use. Playlists and concat lists (hls, concat, ...) are refused: they make
# ffmpeg open further files or URLs named inside the upload, a known way to read server files.
UPLOAD_FORMATS = frozenset(
    {
        "mov",
        "mp4",
        "matroska",
        "webm",
        "avi",
        "mpegts",
        "flv",
        "mxf",
        "ogg",
        "mpeg",
        "asf",
        "mp3",
        "wav",
        "aac",
        "flac",
        "dv",
        "m4v",
        "3gp",
    }
)
# File signatures of containers: a file that starts like one but cannot be read is corrupt, not foreign.
_CONTAINER_MAGIC: tuple[tuple[int, bytes], ...] = (
    (4, b"ftyp"),
    (4, b"moov"),
    (4, b"mdat"),
    (4, b"free"),
    (4, b"wide"),
    (4, b"skip"),
    (0, b"\x1a\x45\xdf\xa3"),
    (0, b"RIFF"),
    (0, b"FLV"),
    (0, b"OggS"),
    (0, b"\x00\x00\x01\xba"),
    (0, b"\x30\x26\xb2\x75"),
    (0, b"ID3"),
)
_DECODE_ERROR = re.compile(
    r"partial file|Invalid data|error while decoding|corrupt|invalid nal|ended prematurely|"
    r"truncat|missing picture|Error splitting|moov atom not found|no frame",
    re.IGNORECASE,
)
_CHECK_SECONDS = 2.0
_FILENAME_FORBIDDEN = re.compile(r"[/\\\x00-\x1f\x7f]")
# Bidirectional controls (embeddings, overrides, isolates, marks): in a name they make "clip\u202egnp.exe"
# show as "clipexe.png". Nobody needs them in a file name, so they are dropped on the way in.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class MediaRejected(Exception):
    """An upload we refuse to process; `code` is stable for API clients, `reason` is for humans."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class TranscodeFailed(Exception):
    """ffmpeg exited with an error; `log_tail` holds the end of its log for the job record."""

    def __init__(self, message: str, log_tail: str = "") -> None:
        super().__init__(message)
        self.log_tail = log_tail


@dataclass(frozen=True)
class FfmpegTools:
    ffmpeg: str
    ffprobe: str | None


@lru_cache
def find_tools() -> FfmpegTools:
    """System binaries first (distribution-patched, usually newer codecs), else the imageio-ffmpeg wheel's.

    The wheel ships no ffprobe; `probe` then parses `ffmpeg -i` instead.
    """
    ffmpeg = shutil.which("ffmpeg")
    ffprobe = shutil.which("ffprobe")
    if ffmpeg is None:
        import imageio_ffmpeg

        ffmpeg = str(imageio_ffmpeg.get_ffmpeg_exe())
        ffprobe = None
    return FfmpegTools(ffmpeg=ffmpeg, ffprobe=ffprobe)


@dataclass(frozen=True)
class ProbeResult:
    """What we need to plan a transcode. Width/height are as displayed (rotation applied)."""

    duration: float
    width: int
    height: int
    fps: float
    video_codec: str | None
    audio_codec: str | None
    has_video: bool
    has_audio: bool
    bitrate: int | None
    format_name: str
    sample_aspect: float = 1.0
    rotation: int = 0

    @property
    def display_aspect(self) -> float:
        return self.width * self.sample_aspect / self.height if self.height else 0.0


@dataclass
class _Stream:
    kind: str
    codec: str
    width: int = 0
    height: int = 0
    fps: float = 0.0
    frames: int | None = None
    duration: float | None = None
    attached_pic: bool = False
    sample_aspect: float = 1.0
    rotation: int = 0


@dataclass
class _Container:
    format_name: str
    duration: float | None
    bitrate: int | None
    streams: list[_Stream] = field(default_factory=list)


def without_bidi_controls(name: str) -> str:
    return _BIDI_CONTROLS.sub("", name)


def validate_upload_filename(name: str) -> str:
    """The client's file name is only ever a label, but a name that tries to be a path is an attack."""
    if not name or name.strip() != name or len(name) > 255:
        raise MediaRejected("The file name is empty, too long or padded with spaces.", "bad_filename")
    if _FILENAME_FORBIDDEN.search(name) or name in {".", ".."} or ".." in name.split("."):
        raise MediaRejected("The file name must not contain path separators or '..'.", "bad_filename")
    if name.startswith("."):
        raise MediaRejected("The file name must not start with a dot.", "bad_filename")
    return name


def probe(
    path: Path,
    *,
    require_video: bool = True,
    original_name: str | None = None,
    tools: FfmpegTools | None = None,
) -> ProbeResult:
    """Read and sanity-check a media file, decoding its first and last seconds to catch truncation."""
    tools = tools or find_tools()
    if original_name is not None:
        validate_upload_filename(original_name)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaRejected("The uploaded file is missing.", "not_media") from None
    if size == 0:
        raise MediaRejected("The uploaded file is empty.", "empty_file")

    container = _read_container(path, tools)
    if container is None or container.format_name in TEXT_FORMATS:
        if container is None and _looks_like_container(path):
            raise MediaRejected("The file looks like a video container but cannot be read.", "corrupt")
        raise MediaRejected("The file is not an audio or video file.", "not_media")

    videos = [s for s in container.streams if s.kind == "video" and not s.attached_pic]
    audios = [s for s in container.streams if s.kind == "audio"]
    if not videos and not audios:
        raise MediaRejected("The file has no audio or video stream.", "not_media")
    video = videos[0] if videos else None
    audio = audios[0] if audios else None
    if video is not None and _is_still_image(container, video):
        raise MediaRejected("The file is a still image, not a video.", "image_only")
    if not UPLOAD_FORMATS.intersection(container.format_name.split(",")):
        raise MediaRejected(f"Files of type {container.format_name!r} are not accepted.", "unsupported_format")
    if video is None and require_video:
        raise MediaRejected("The file has sound but no picture; a video is required.", "audio_only")
    if video is not None and (video.width <= 0 or video.height <= 0):
        raise MediaRejected("The video stream has no picture size.", "corrupt")

    duration = container.duration or max((s.duration or 0.0) for s in container.streams)
    if not duration or duration <= 0 or math.isnan(duration):
        raise MediaRejected("The file has no readable duration.", "corrupt")
    _check_decodes(path, duration, "v:0" if video else "a:0", tools)

    width, height = (video.width, video.height) if video else (0, 0)
    rotation = video.rotation if video else 0
    if rotation % 180 == 90:
        width, height = height, width
    return ProbeResult(
        duration=duration,
        width=width,
        height=height,
        fps=video.fps if video and video.fps > 0 else 0.0,
        video_codec=video.codec if video else None,
        audio_codec=audio.codec if audio else None,
        has_video=video is not None,
        has_audio=audio is not None,
        bitrate=container.bitrate,
        format_name=container.format_name,
        sample_aspect=video.sample_aspect if video else 1.0,
        rotation=rotation,
    )


def _is_still_image(container: _Container, video: _Stream) -> bool:
    if container.format_name.endswith("_pipe") or container.format_name in {"image2", "apng", "gif", "webp"}:
        return True
    if video.codec in IMAGE_CODECS:
        return video.frames is None or video.frames <= 1 or not container.duration
    return False


def _looks_like_container(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(377)
    if head[0:1] == head[188:189] == head[376:377] == b"\x47":
        return True  # MPEG-TS: a sync byte every 188 bytes
    return any(head[offset : offset + len(magic)] == magic for offset, magic in _CONTAINER_MAGIC)


def _read_container(path: Path, tools: FfmpegTools) -> _Container | None:
    if tools.ffprobe:
        return _read_with_ffprobe(path, tools.ffprobe)
    return _read_with_ffmpeg(path, tools.ffmpeg)


def _read_with_ffprobe(path: Path, ffprobe: str) -> _Container | None:
    completed = subprocess.run(
        [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if completed.returncode != 0:
        return None
    try:
        data: dict[str, Any] = json.loads(completed.stdout or "{}")
    except json.JSONDecodeError:
        return None
    fmt: dict[str, Any] = data.get("format") or {}
    if not fmt:
        return None
    streams = []
    for raw in data.get("streams") or []:
        kind = raw.get("codec_type", "")
        if kind not in {"video", "audio"}:
            continue
        rotation = 0
        for side in raw.get("side_data_list") or []:
            if "rotation" in side:
                rotation = round(float(side["rotation"]))
        if "rotate" in (raw.get("tags") or {}):
            rotation = int(raw["tags"]["rotate"])
        streams.append(
            _Stream(
                kind=kind,
                codec=str(raw.get("codec_name", "")),
                width=int(raw.get("width") or 0),
                height=int(raw.get("height") or 0),
                fps=_ratio(raw.get("avg_frame_rate")) or _ratio(raw.get("r_frame_rate")),
                frames=_int_or_none(raw.get("nb_frames")),
                duration=_float_or_none(raw.get("duration")),
                attached_pic=bool((raw.get("disposition") or {}).get("attached_pic")),
                sample_aspect=_ratio(raw.get("sample_aspect_ratio"), sep=":") or 1.0,
                rotation=abs(rotation) % 360,
            )
        )
    return _Container(
        format_name=str(fmt.get("format_name", "")),
        duration=_float_or_none(fmt.get("duration")),
        bitrate=_int_or_none(fmt.get("bit_rate")),
        streams=streams,
    )


_INPUT_LINE = re.compile(r"^Input #0, ([^,]+(?:,[^ ]+)*), from ")
_DURATION_LINE = re.compile(r"Duration: (N/A|(\d+):(\d+):(\d+(?:\.\d+)?)).*?bitrate: (N/A|\d+) kb/s")
_STREAM_LINE = re.compile(r"Stream #0:\d+[^:]*: (Video|Audio): (\w+)(.*)$")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_SAR = re.compile(r"SAR (\d+):(\d+)")
_FPS = re.compile(r"([\d.]+)(k?) (?:fps|tbr)")
_ROTATION = re.compile(r"rotation of (-?[\d.]+) degrees")


def _read_with_ffmpeg(path: Path, ffmpeg: str) -> _Container | None:
    """Fallback for the wheel's ffmpeg (no ffprobe): parse the human-readable input summary."""
    completed = subprocess.run(
        [ffmpeg, "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    container: _Container | None = None
    last: _Stream | None = None
    for line in completed.stderr.splitlines():
        text = line.strip()
        if (match := _INPUT_LINE.match(text)) is not None:
            container = _Container(format_name=match.group(1), duration=None, bitrate=None)
        elif container is None:
            continue
        elif (match := _DURATION_LINE.search(text)) is not None:
            if match.group(1) != "N/A":
                hours, minutes, seconds = match.group(2, 3, 4)
                container.duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
            if match.group(5) != "N/A":
                container.bitrate = int(match.group(5)) * 1000
        elif (match := _STREAM_LINE.search(text)) is not None:
            kind, codec, rest = match.group(1).lower(), match.group(2), match.group(3)
            last = _Stream(kind=kind, codec=codec, attached_pic="(attached pic)" in rest)
            if kind == "video":
                if (size := _SIZE.search(rest)) is not None:
                    last.width, last.height = int(size.group(1)), int(size.group(2))
                if (sar := _SAR.search(rest)) is not None and int(sar.group(2)):
                    last.sample_aspect = int(sar.group(1)) / int(sar.group(2))
                if (fps := _FPS.search(rest)) is not None:
                    last.fps = float(fps.group(1)) * (1000 if fps.group(2) else 1)
            container.streams.append(last)
        elif last is not None and (match := _ROTATION.search(text)) is not None:
            last.rotation = abs(round(float(match.group(1)))) % 360
    if container is None or not container.streams:
        return None
    return container


def _check_decodes(path: Path, duration: float, stream: str, tools: FfmpegTools) -> None:
    """Decode the head and the tail: a cut-off upload often has a valid header but no data at the end."""
    windows = [0.0]
    if duration > _CHECK_SECONDS:
        windows.append(max(0.0, duration - _CHECK_SECONDS - 0.5))
    for start in windows:
        args = [tools.ffmpeg, "-hide_banner", "-nostdin", "-v", "error"]
        if start > 0:
            args += ["-ss", f"{start:.3f}"]
        args += ["-i", str(path), "-t", f"{_CHECK_SECONDS:.1f}", "-map", f"0:{stream}", "-f", "null", "-"]
        args += ["-progress", "pipe:1", "-nostats"]
        completed = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
        frames = _last_progress_value(completed.stdout, "frame" if stream.startswith("v") else "out_time_us")
        if completed.returncode != 0 or not frames or frames <= 0 or _DECODE_ERROR.search(completed.stderr):
            where = "start" if start == 0 else "end"
            raise MediaRejected(f"The file is damaged or incomplete near its {where}.", "corrupt")


def _last_progress_value(progress: str, key: str) -> int | None:
    value: int | None = None
    for line in progress.splitlines():
        name, _, raw = line.partition("=")
        if name == key:
            value = _int_or_none(raw.strip())
    return value


def _ratio(raw: object, sep: str = "/") -> float:
    if not isinstance(raw, str) or sep not in raw:
        return _float_or_none(raw) or 0.0
    num, _, den = raw.partition(sep)
    with contextlib.suppress(ValueError, ZeroDivisionError):
        value = float(num) / float(den)
        return value if math.isfinite(value) else 0.0
    return 0.0


def _float_or_none(raw: object) -> float | None:
    if raw is None:
        return None
    try:
        value = float(str(raw))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _int_or_none(raw: object) -> int | None:
    value = _float_or_none(raw)
    return int(value) if value is not None else None
