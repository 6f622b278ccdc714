"""The live ladder: one ffmpeg per publisher session, reading FLV on stdin, writing HLS and the recording.

The publisher's own H.264 is the top rendition as it is (passthrough, no decode for it), and the lower
rungs are encoded in the same process from one decode, keyframes forced exactly where the source has
them (`-force_key_frames source`), so every rendition's segments start together and players can switch
at any boundary. Rungs are only ever smaller than the source. AAC audio is copied into every rendition;
anything else is encoded to AAC once per rendition. A parallel stream copy goes into the recording part.

Segments are MPEG-TS (robust across discontinuities, the reconnect case), written with `temp_file` so a
reader never sees half a segment or playlist. A reconnect starts a new process with `append_list`,
which continues the numbering after an `#EXT-X-DISCONTINUITY`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from golive.media.ffmpeg import ProbeResult, find_tools
from golive.media.ladder import plan_ladder
from golive.platform.settings import RenditionSpec

log = logging.getLogger("golive.live")

SOURCE_RENDITION = "src"
X264_PRESET = "veryfast"
# H.264 levels by macroblocks per second and per frame (Table A-1); the encoded rungs declare theirs.
_LEVELS: tuple[tuple[int, int, int], ...] = (
    (30, 40_500, 1_620),
    (31, 108_000, 3_600),
    (32, 216_000, 5_120),
    (40, 245_760, 8_192),
    (42, 522_240, 8_704),
    (50, 589_824, 22_080),
    (51, 983_040, 36_864),
)


@dataclass(frozen=True)
class StreamPlan:
    """What the ingest learned from the publisher's first tags, before any process starts."""

    width: int
    height: int
    video_codecs: str  # e.g. avc1.64001f
    audio_codec: str | None  # "aac", "mp3", ...; None: no audio
    audio_codecs: str | None  # e.g. mp4a.40.2 (always AAC in the output)
    frame_rate: float | None
    source_kbps: int | None  # what the publisher announced, if it did

    @property
    def copies_audio(self) -> bool:
        return self.audio_codec == "aac"


@dataclass(frozen=True)
class LiveRendition:
    name: str
    width: int
    height: int
    video_kbps: int | None  # None: the publisher's stream as it is
    audio_kbps: int
    level: int | None = None

    @property
    def passthrough(self) -> bool:
        return self.video_kbps is None

    def bandwidth(self, source_kbps: int | None) -> int:
        """Peak bits per second for the master playlist (BANDWIDTH is a peak, so with headroom)."""
        video = self.video_kbps * 1.07 if self.video_kbps is not None else (source_kbps or 6000) * 1.2
        return int((video + self.audio_kbps) * 1000)

    def codecs(self, plan: StreamPlan) -> str:
        video = plan.video_codecs if self.passthrough else f"avc1.6400{self.level or 31:02x}"
        return f"{video},{plan.audio_codecs}" if plan.audio_codecs else video


def plan_renditions(plan: StreamPlan, ladder: Sequence[RenditionSpec]) -> list[LiveRendition]:
    """The passthrough on top, then every configured rung strictly smaller than the source."""
    probe = ProbeResult(
        duration=0.0,
        width=plan.width,
        height=plan.height,
        fps=plan.frame_rate or 30.0,
        video_codec="h264",
        audio_codec=plan.audio_codec,
        has_video=True,
        has_audio=plan.audio_codec is not None,
        bitrate=None,
        format_name="flv",
    )
    short_side = min(plan.width, plan.height)
    renditions = [LiveRendition(SOURCE_RENDITION, plan.width, plan.height, None, 128)]
    fps = plan.frame_rate or 60.0  # unknown: assume the most demanding common rate for the level
    for rung in plan_ladder(probe, ladder) if ladder else []:
        if min(rung.width, rung.height) >= short_side:
            continue
        renditions.append(
            LiveRendition(
                name=rung.name,
                width=rung.width,
                height=rung.height,
                video_kbps=rung.video_kbps,
                audio_kbps=rung.audio_kbps,
                level=h264_level(rung.width, rung.height, fps),
            )
        )
    return renditions


def h264_level(width: int, height: int, fps: float) -> int:
    """The lowest level whose limits fit this size and frame rate (x264 is told, so CODECS is exact)."""
    frame_mbs = math.ceil(width / 16) * math.ceil(height / 16)
    for level, per_second, per_frame in _LEVELS:
        if frame_mbs <= per_frame and frame_mbs * fps <= per_second:
            return level
    return 51


def hls_list_size(segment_seconds: int, window_seconds: int, dvr_seconds: int) -> int:
    """How many segments ffmpeg lists (and we keep on disk): the longer of the two views, plus a margin."""
    return math.ceil(max(window_seconds, dvr_seconds, 6 * segment_seconds) / segment_seconds) + 3


def build_live_command(
    plan: StreamPlan,
    renditions: Sequence[LiveRendition],
    out_dir: Path,
    recording_part: Path | None,
    *,
    segment_seconds: int,
    list_size: int,
    append: bool,
    ffmpeg: str | None = None,
) -> list[str]:
    argv = [ffmpeg or find_tools().ffmpeg, "-hide_banner", "-y", "-loglevel", "warning", "-nostats"]
    argv += ["-progress", "pipe:1", "-stats_period", "1"]
    argv += ["-analyzeduration", "1000000", "-f", "flv", "-i", "pipe:0"]
    encoded = [r for r in renditions if not r.passthrough]
    if encoded:
        graph = [f"[0:v]split={len(encoded)}" + "".join(f"[s{i}]" for i in range(len(encoded)))]
        graph += [f"[s{i}]scale=w={r.width}:h={r.height},setsar=1,format=yuv420p[v{i}]" for i, r in enumerate(encoded)]
        argv += ["-filter_complex", ";".join(graph)]
    has_audio = plan.audio_codec is not None
    stream_map = []
    encoded_index = 0
    for index, rendition in enumerate(renditions):
        if rendition.passthrough:
            argv += ["-map", "0:v:0"]
        else:
            argv += ["-map", f"[v{encoded_index}]"]
            encoded_index += 1
        if has_audio:
            argv += ["-map", "0:a:0"]
        audio = f"a:{index}," if has_audio else ""
        stream_map.append(f"v:{index},{audio}name:{rendition.name}")
    for index, rendition in enumerate(renditions):
        if rendition.passthrough:
            argv += [f"-c:v:{index}", "copy"]
            continue
        argv += [
            f"-c:v:{index}",
            "libx264",
            f"-profile:v:{index}",
            "high",
            f"-level:v:{index}",
            f"{(rendition.level or 31) / 10:.1f}",
            f"-b:v:{index}",
            f"{rendition.video_kbps}k",
            f"-maxrate:v:{index}",
            f"{int((rendition.video_kbps or 0) * 1.07)}k",
            f"-bufsize:v:{index}",
            f"{int((rendition.video_kbps or 0) * 1.5)}k",
            f"-force_key_frames:v:{index}",
            "source",
        ]
    if encoded:
        argv += ["-preset", X264_PRESET, "-tune", "zerolatency", "-sc_threshold", "0", "-threads", "1"]
    if has_audio:
        if plan.copies_audio:
            argv += ["-c:a", "copy"]
        else:
            argv += ["-c:a", "aac", "-ar", "48000", "-ac", "2"]
            for index, rendition in enumerate(renditions):
                argv += [f"-b:a:{index}", f"{rendition.audio_kbps}k"]
    flags = "independent_segments+program_date_time+omit_endlist+temp_file" + ("+append_list" if append else "")
    argv += [
        "-f",
        "hls",
        "-hls_time",
        str(segment_seconds),
        "-hls_list_size",
        str(list_size),
        "-hls_segment_type",
        "mpegts",
        "-hls_flags",
        flags,
        "-var_stream_map",
        " ".join(stream_map),
        "-hls_segment_filename",
        str(out_dir / "%v" / "seg_%05d.ts"),
        str(out_dir / "%v" / "raw.m3u8"),
    ]
    if recording_part is not None:
        argv += ["-map", "0:v:0"] + (["-map", "0:a:0"] if has_audio else [])
        argv += ["-c", "copy", "-f", "mpegts", str(recording_part)]
    return argv


@dataclass
class TranscoderProgress:
    """The latest `-progress` block ffmpeg wrote (about once a second)."""

    speed: float | None = None
    fps: float | None = None
    dropped_frames: int = 0
    out_time_seconds: float = 0.0
    speeds: list[float] = field(default_factory=list)


class TranscoderGone(Exception):
    """ffmpeg exited (or was never started) while media was still coming."""


class LiveTranscoder:
    """One ffmpeg process; `write` applies backpressure, so a stalled ffmpeg slows the publisher down."""

    def __init__(self, argv: list[str], log_path: Path, progress_path: Path | None = None) -> None:
        self.argv = argv
        self.log_path = log_path
        self.progress_path = progress_path
        self.progress = TranscoderProgress()
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as errors:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=errors,
                start_new_session=True,  # a Ctrl-C in a terminal reaches the server, which stops us in order
            )
        self._reader = asyncio.create_task(self._read_progress())
        log.info("live transcoder started pid=%s", self.process.pid)

    async def write(self, data: bytes) -> None:
        process = self.process
        if process is None or process.stdin is None or process.returncode is not None:
            raise TranscoderGone("the transcoder is not running")
        try:
            process.stdin.write(data)
            await process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise TranscoderGone("the transcoder stopped reading") from exc

    async def finish(self, grace_seconds: float = 10.0) -> int | None:
        """End of input: ffmpeg writes the last segment and exits; killed if it takes longer than the grace."""
        process = self.process
        if process is None:
            return None
        if process.stdin is not None and not process.stdin.is_closing():
            process.stdin.close()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                await process.stdin.wait_closed()
        try:
            await asyncio.wait_for(process.wait(), grace_seconds)
        except TimeoutError:
            log.warning("live transcoder pid=%s did not stop in %.0f s; killing it", process.pid, grace_seconds)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._reader, 2)
        log.info("live transcoder pid=%s exited with %s", process.pid, process.returncode)
        return process.returncode

    async def _read_progress(self) -> None:
        process = self.process
        assert process is not None and process.stdout is not None
        block: dict[str, str] = {}
        sink = self.progress_path.open("a") if self.progress_path else None
        try:
            async for raw in process.stdout:
                line = raw.decode(errors="replace").strip()
                key, _, value = line.partition("=")
                block[key] = value
                if sink is not None:
                    sink.write(line + "\n")
                if key == "progress":
                    self._apply(block)
                    block = {}
                    if sink is not None:
                        sink.flush()
        finally:
            if sink is not None:
                sink.close()

    def _apply(self, block: dict[str, str]) -> None:
        progress = self.progress
        speed = block.get("speed", "").rstrip("x").strip()
        with contextlib.suppress(ValueError):
            progress.speed = float(speed)
            if math.isfinite(progress.speed):
                progress.speeds.append(progress.speed)
                del progress.speeds[:-600]
        with contextlib.suppress(ValueError):
            progress.fps = float(block.get("fps", ""))
        with contextlib.suppress(ValueError):
            progress.dropped_frames = int(block.get("drop_frames", "0"))
        with contextlib.suppress(ValueError):
            progress.out_time_seconds = int(block.get("out_time_us", "0")) / 1_000_000
