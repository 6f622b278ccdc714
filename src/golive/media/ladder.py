"""The adaptive ladder: which renditions to make, and the one ffmpeg command that makes them all.

One process decodes the source once and feeds every rendition, the poster and the thumbnail sprite
from a single `-filter_complex` split: decoding is a large share of the work at these presets, so
decoding once per rendition would waste most of a core. Keyframes are forced on the same timestamps
in every rendition so players can switch between them at any segment boundary.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import m3u8

from golive.media.ffmpeg import ProbeResult, ProgressCallback, TranscodeFailed, find_tools, probe
from golive.media.ffmpeg_run import run_ffmpeg
from golive.media.vod_playlists import RenditionFolder, write_vod_playlists
from golive.platform.settings import RenditionSpec, Settings

SegmentType = Literal["fmp4", "mpegts"]

MASTER_PLAYLIST = "master.m3u8"
RENDITION_PLAYLIST = "index.m3u8"
POSTER = "poster.jpg"
SPRITE = "thumbs.jpg"
SPRITE_VTT = "thumbs.vtt"
X264_PRESET = "veryfast"
POSTER_POSITION = 0.1
MAX_THUMBNAILS = 200


@dataclass(frozen=True)
class Clip:
    """Only this part of the source is transcoded (a live replay's trim): `duration` seconds from `start`."""

    start: float
    duration: float


@dataclass(frozen=True)
class Rung:
    """One rendition to produce, with its exact output size (even, aspect kept)."""

    name: str
    width: int
    height: int
    video_kbps: int
    audio_kbps: int

    @property
    def maxrate_kbps(self) -> int:
        return int(self.video_kbps * 1.07)

    @property
    def bufsize_kbps(self) -> int:
        return int(self.video_kbps * 1.5)


@dataclass(frozen=True)
class ThumbnailPlan:
    """A single sprite sheet of fixed-size frames taken every `interval` seconds."""

    interval: float
    count: int
    columns: int
    duration: float
    tile_width: int = 160
    tile_height: int = 90

    @property
    def rows(self) -> int:
        return max(1, math.ceil(self.count / self.columns))

    def webvtt(self, sprite_name: str = SPRITE) -> str:
        """Cues pointing into the sprite with media fragments, the format players' scrubbers read."""
        lines = ["WEBVTT", ""]
        for index in range(self.count):
            start = index * self.interval
            end = min((index + 1) * self.interval, self.duration)
            if end <= start:
                break
            x = (index % self.columns) * self.tile_width
            y = (index // self.columns) * self.tile_height
            lines += [
                f"{_vtt_time(start)} --> {_vtt_time(end)}",
                f"{sprite_name}#xywh={x},{y},{self.tile_width},{self.tile_height}",
                "",
            ]
        return "\n".join(lines)


def plan_ladder(source: ProbeResult, ladder: Sequence[RenditionSpec]) -> list[Rung]:
    """Rungs no taller than the source (never upscale); below the lowest rung, one rung at source size.

    Heights refer to the short side, so a portrait phone video gets 720 pixels wide at "720p".
    """
    if not source.has_video or source.width <= 0 or source.height <= 0:
        raise ValueError("a ladder needs a video source")
    display_width = source.width * source.sample_aspect
    landscape = display_width >= source.height
    short_side, long_side = (source.height, display_width) if landscape else (display_width, source.height)
    specs = sorted(ladder, key=lambda spec: spec.height, reverse=True)
    chosen = [spec for spec in specs if spec.height <= short_side]
    if not chosen:
        lowest = specs[-1]
        height = _even(short_side)
        area_ratio = (height / lowest.height) ** 2
        chosen = [
            RenditionSpec(
                name=f"{height}p",
                height=height,
                video_kbps=max(200, int(lowest.video_kbps * area_ratio)),
                audio_kbps=lowest.audio_kbps,
            )
        ]
    rungs = []
    for spec in chosen:
        short = _even(spec.height)
        long = _even(long_side * spec.height / short_side)
        width, height = (long, short) if landscape else (short, long)
        rungs.append(Rung(spec.name, width, height, spec.video_kbps, spec.audio_kbps))
    return rungs


def plan_thumbnails(duration: float, columns: int = 10) -> ThumbnailPlan:
    """One frame per second for short clips, sparser for long ones so the sheet stays one image."""
    interval = float(max(1, math.ceil(duration / MAX_THUMBNAILS)))
    count = max(1, math.ceil(duration / interval))
    return ThumbnailPlan(interval=interval, count=count, columns=min(columns, count), duration=duration)


def build_vod_command(
    source: Path,
    out_dir: Path,
    rungs: Sequence[Rung],
    segment_seconds: int,
    has_audio: bool,
    *,
    fps: float = 30.0,
    poster_at: float | None = None,
    thumbnails: ThumbnailPlan | None = None,
    segment_type: SegmentType = "fmp4",
    ffmpeg: str | None = None,
    clip: Clip | None = None,
) -> list[str]:
    """The full argv of the single-pass transcode: HLS ladder, plus poster and sprite from the same decode."""
    if not rungs:
        raise ValueError("at least one rung is required")
    gop = max(1, round((fps if fps > 0 else 30.0) * segment_seconds))
    branches = [f"[v{i}]" for i in range(len(rungs))]
    extras = (["[vposter]"] if poster_at is not None else []) + (["[vthumbs]"] if thumbnails else [])
    graph = [f"[0:v]split={len(branches) + len(extras)}{''.join(branches + extras)}"]
    for index, rung in enumerate(rungs):
        graph.append(
            f"[v{index}]scale=w={rung.width}:h={rung.height}:flags=bicubic,setsar=1,format=yuv420p[out{index}]"
        )
    top = rungs[0]
    # ffmpeg prints no -progress report until every output has written its first frame, so the poster and
    # the sprite each write the first frame at once (a placeholder, overwritten: -update 1, two frames);
    # without it the progress would stand at 0 until the sprite sheet is full, i.e. the very end.
    if poster_at is not None:
        # The first frame, then the first one at poster_at: two frames, so the output ends early.
        graph.append(
            f"[vposter]select='eq(n\\,0)+lt(prev_selected_t\\,{poster_at:.3f})*gte(t\\,{poster_at:.3f})',"
            f"scale=w={top.width}:h={top.height},setsar=1[poster]"
        )
    if thumbnails is not None:
        w, h = thumbnails.tile_width, thumbnails.tile_height
        sheet_w, sheet_h = w * thumbnails.columns, h * thumbnails.rows
        graph += [
            "[vthumbs]split=2[vthumbfirst][vthumbsheet]",
            f"[vthumbfirst]trim=end_frame=1,scale=w={sheet_w}:h={sheet_h},setsar=1[thumbfirst]",
            f"[vthumbsheet]select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{thumbnails.interval:g})',"
            f"scale=w={w}:h={h}:force_original_aspect_ratio=decrease,"
            f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,"
            f"tile={thumbnails.columns}x{thumbnails.rows}[thumbsheet]",
            "[thumbfirst][thumbsheet]concat=n=2:v=1:a=0[thumbs]",
        ]

    argv = [ffmpeg or find_tools().ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "warning"]
    if clip is not None:
        # Input-side seek: frame-accurate since every frame is re-encoded, and nothing before it is decoded.
        argv += ["-ss", f"{clip.start:.3f}", "-t", f"{clip.duration:.3f}"]
    argv += ["-i", str(source), "-filter_complex", ";".join(graph)]
    stream_map = []
    for index, rung in enumerate(rungs):
        argv += ["-map", f"[out{index}]"]
        if has_audio:
            argv += ["-map", "0:a:0"]
        stream_map.append(f"v:{index},a:{index},name:{rung.name}" if has_audio else f"v:{index},name:{rung.name}")
    video_options = {
        "-c:v": "libx264",
        "-preset": X264_PRESET,
        "-profile:v": "high",
        "-g": str(gop),
        "-keyint_min": str(gop),
        "-sc_threshold": "0",
        "-force_key_frames": f"expr:gte(t,n_forced*{segment_seconds})",
    }
    for index, rung in enumerate(rungs):
        video_options[f"-b:v:{index}"] = f"{rung.video_kbps}k"
        video_options[f"-maxrate:v:{index}"] = f"{rung.maxrate_kbps}k"
        video_options[f"-bufsize:v:{index}"] = f"{rung.bufsize_kbps}k"
    audio_options = {"-c:a": "aac", "-ac": "2", "-ar": "48000"} if has_audio else {}
    for index, rung in enumerate(rungs if has_audio else []):
        audio_options[f"-b:a:{index}"] = f"{rung.audio_kbps}k"
    extension = "m4s" if segment_type == "fmp4" else "ts"
    hls_options = {
        "-max_muxing_queue_size": "4096",
        "-f": "hls",
        "-hls_time": str(segment_seconds),
        "-hls_playlist_type": "vod",
        "-hls_flags": "independent_segments",
        "-hls_segment_type": segment_type,
        "-hls_segment_filename": str(out_dir / "%v" / f"seg_%05d.{extension}"),
        "-master_pl_name": MASTER_PLAYLIST,
        "-var_stream_map": " ".join(stream_map),
    }
    if segment_type == "fmp4":
        hls_options["-hls_fmp4_init_filename"] = "init.mp4"
    for options in (video_options, audio_options, hls_options):
        for flag, value in options.items():
            argv += [flag, value]
    argv.append(str(out_dir / "%v" / RENDITION_PLAYLIST))
    if poster_at is not None:
        argv += ["-map", "[poster]", "-frames:v", "2", "-update", "1", "-q:v", "3", str(out_dir / POSTER)]
    if thumbnails is not None:
        argv += ["-map", "[thumbs]", "-frames:v", "2", "-update", "1", "-q:v", "5", str(out_dir / SPRITE)]
    return argv


@dataclass(frozen=True)
class RenditionOutput:
    """One finished rendition; `playlist` is relative to the asset folder (a storage key suffix)."""

    name: str
    width: int
    height: int
    bandwidth: int
    codecs: str
    playlist: str
    duration: float
    segment_count: int


@dataclass(frozen=True)
class TranscodeResult:
    """Everything the asset row needs; every path is relative to `out_dir`."""

    out_dir: Path
    duration: float
    master_playlist: str
    renditions: list[RenditionOutput]
    poster: str
    sprite: str
    sprite_vtt: str
    source: ProbeResult


def transcode_vod(
    source: Path,
    out_dir: Path,
    settings: Settings,
    on_progress: ProgressCallback | None = None,
    *,
    source_probe: ProbeResult | None = None,
    segment_type: SegmentType = "fmp4",
    clip: Clip | None = None,
) -> TranscodeResult:
    """Transcode into a hidden sibling folder and rename it into place only when everything is written.

    A killed job leaves only the hidden folder, which the next run deletes first, so re-running
    is always safe and `out_dir` is either absent, the previous complete output, or the new one.
    One transcode per `out_dir` at a time (the job queue's lock).
    """
    info = source_probe or probe(source)
    if clip is not None:
        info = replace(info, duration=clip.duration)
    rungs = plan_ladder(info, settings.ladder)
    thumbnails = plan_thumbnails(info.duration)
    work_dir = out_dir.with_name(f".{out_dir.name}.partial")
    log_path = out_dir.with_name(f".{out_dir.name}.ffmpeg.log")
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    command = build_vod_command(
        source,
        work_dir,
        rungs,
        settings.segment_seconds,
        info.has_audio,
        fps=info.fps,
        poster_at=info.duration * POSTER_POSITION,
        thumbnails=thumbnails,
        segment_type=segment_type,
        clip=clip,
    )
    top_rung = work_dir / rungs[0].name

    def finished_segments() -> float:
        """ffmpeg prints no -progress line until every output file has started, and the sprite's starts only when
        its tile is full, at the very end: meanwhile the top rung's finished segments are the progress."""
        finished = len(list(top_rung.glob("seg_*"))) - 1  # the newest one is still being written
        return max(0, finished) * settings.segment_seconds * 100 / max(info.duration, 0.001)

    run_ffmpeg(
        command, duration=info.duration, on_progress=on_progress, log_path=log_path, output_progress=finished_segments
    )
    (work_dir / SPRITE_VTT).write_text(thumbnails.webvtt())
    renditions = _write_master(work_dir, _read_renditions(work_dir, rungs), info.fps)
    for required in (POSTER, SPRITE):
        if not (work_dir / required).is_file():
            raise TranscodeFailed(f"ffmpeg did not write {required}", log_path.read_text(errors="replace"))
    _publish(work_dir, out_dir)
    log_path.unlink(missing_ok=True)
    return TranscodeResult(
        out_dir=out_dir,
        duration=info.duration,
        master_playlist=MASTER_PLAYLIST,
        renditions=renditions,
        poster=POSTER,
        sprite=SPRITE,
        sprite_vtt=SPRITE_VTT,
        source=info,
    )


def _read_renditions(work_dir: Path, rungs: Sequence[Rung]) -> list[RenditionOutput]:
    """Check the output is complete (every playlist ended) and read back what the master advertises."""
    master = m3u8.load(str(work_dir / MASTER_PLAYLIST))
    by_uri = {playlist.uri: playlist for playlist in master.playlists}
    outputs = []
    for rung in rungs:
        uri = f"{rung.name}/{RENDITION_PLAYLIST}"
        variant = by_uri.get(uri)
        media = m3u8.load(str(work_dir / uri))
        if variant is None or not media.is_endlist or not media.segments:
            raise TranscodeFailed(f"rendition {rung.name} is incomplete")
        info = variant.stream_info
        outputs.append(
            RenditionOutput(
                name=rung.name,
                width=rung.width,
                height=rung.height,
                bandwidth=int(info.bandwidth or 0),
                codecs=str(info.codecs or ""),
                playlist=uri,
                duration=float(sum(segment.duration or 0.0 for segment in media.segments)),
                segment_count=len(media.segments),
            )
        )
    return outputs


def _write_master(work_dir: Path, renditions: list[RenditionOutput], fps: float) -> list[RenditionOutput]:
    """ffmpeg's master replaced by one measured from the segments, with I-frame playlists."""
    folders = [RenditionFolder(r.name, r.playlist, r.width, r.height, r.codecs) for r in renditions]
    master, measured = write_vod_playlists(work_dir, folders, fps if fps > 0 else None)
    (work_dir / MASTER_PLAYLIST).write_text(master)
    return [replace(rendition, bandwidth=measured[rendition.name].peak) for rendition in renditions]


def _publish(work_dir: Path, out_dir: Path) -> None:
    previous = out_dir.with_name(f".{out_dir.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if out_dir.exists():
        os.replace(out_dir, previous)
    os.replace(work_dir, out_dir)
    shutil.rmtree(previous, ignore_errors=True)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
