"""One accepted publisher: its media goes through here into the transcoder, and its health is measured.

Nothing is spawned until the first tags tell us what the stream is (H.264 picture size and profile,
the audio codec): the ladder depends on it, and a stream ffmpeg cannot read is refused before any
process starts. Media of a refused publisher never reaches this class.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from golive.live.ingest import flv
from golive.live.ingest.flv import Tag
from golive.live.ingest.pyrtmp_compat import read_script_data
from golive.live.packaging.transcoder import LiveTranscoder, StreamPlan, TranscoderGone
from golive.platform.db import utcnow

log = logging.getLogger("golive.live")

HEALTH_WINDOW_SECONDS = 5.0
# Tags held back while we learn what the stream is; a publisher that sends this much without
# usable video is refused.
PLAN_MAX_TAGS = 900
PLAN_MAX_BYTES = 24 * 1024 * 1024
# Video-only streams: give the audio this long (in stream time) to show up before planning without it.
AUDIO_GRACE_MS = 1500


class StreamRefused(Exception):
    """The publisher's stream cannot be used (its codec, or no video at all)."""


@dataclass
class HealthMeter:
    """Bitrate, frame rate and keyframe interval over the last few seconds, as the ingest sees them."""

    _bytes: deque[tuple[float, int]] = field(default_factory=deque)
    _frames: deque[float] = field(default_factory=deque)
    last_keyframe_ms: int | None = None
    keyframe_interval: float | None = None
    width: int | None = None
    height: int | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    dropped_frames: int = 0
    last_media_at: datetime | None = None
    first_media_monotonic: float | None = None
    last_media_monotonic: float | None = None
    bytes_total: int = 0

    def media(self, tag: Tag, now: float) -> None:
        self._bytes.append((now, len(tag.payload)))
        self.bytes_total += len(tag.payload)
        self.last_media_at = utcnow()
        self.last_media_monotonic = now
        if self.first_media_monotonic is None:
            self.first_media_monotonic = now
        self._trim(now)

    def frame(self, timestamp_ms: int, keyframe: bool, now: float) -> None:
        self._frames.append(now)
        if keyframe:
            if self.last_keyframe_ms is not None and timestamp_ms > self.last_keyframe_ms:
                self.keyframe_interval = round((timestamp_ms - self.last_keyframe_ms) / 1000, 3)
            self.last_keyframe_ms = timestamp_ms

    def _trim(self, now: float) -> None:
        while self._bytes and now - self._bytes[0][0] > HEALTH_WINDOW_SECONDS:
            self._bytes.popleft()
        while self._frames and now - self._frames[0] > HEALTH_WINDOW_SECONDS:
            self._frames.popleft()

    def _span(self, now: float) -> float:
        started = self.first_media_monotonic if self.first_media_monotonic is not None else now
        return max(0.5, min(HEALTH_WINDOW_SECONDS, now - started))

    def bitrate_kbps(self, now: float) -> float | None:
        self._trim(now)
        if self.first_media_monotonic is None:
            return None
        return round(sum(size for _, size in self._bytes) * 8 / 1000 / self._span(now), 1)

    def fps(self, now: float) -> float | None:
        self._trim(now)
        if self.first_media_monotonic is None:
            return None
        return round(len(self._frames) / self._span(now), 2)

    def snapshot(self, now: float, transcoder_dropped: int = 0) -> dict[str, Any]:
        """What live_inputs.health stores (the wire names of the admin contract)."""
        return {
            "bitrateKbps": self.bitrate_kbps(now),
            "fps": self.fps(now),
            "width": self.width,
            "height": self.height,
            "videoCodec": self.video_codec,
            "audioCodec": self.audio_codec,
            "keyframeIntervalSeconds": self.keyframe_interval,
            "droppedFrames": self.dropped_frames + transcoder_dropped,
        }


@dataclass
class StreamProbe:
    """Reads the first tags until the ladder can be planned."""

    held: list[Tag] = field(default_factory=list)
    held_bytes: int = 0
    metadata: Tag | None = None
    avc: flv.AvcConfig | None = None
    audio: flv.AudioTagInfo | None = None
    audio_codecs: str | None = None
    first_frame_ms: int | None = None
    frame_rate: float | None = None
    source_kbps: int | None = None
    announced_size: tuple[int, int] | None = None

    def announce(self, metadata: dict[str, Any]) -> None:
        """What the publisher says about itself (onMetaData): frame rate and bitrates, when present."""
        frame_rate = _positive(metadata.get("framerate"))
        self.frame_rate = round(frame_rate, 3) if frame_rate else None
        kbps = (_positive(metadata.get("videodatarate")) or 0) + (_positive(metadata.get("audiodatarate")) or 0)
        self.source_kbps = int(kbps) if kbps > 0 else None
        width, height = _positive(metadata.get("width")), _positive(metadata.get("height"))
        self.announced_size = (int(width), int(height)) if width and height else None

    def hold(self, tag: Tag) -> None:
        self.held.append(tag)
        self.held_bytes += len(tag.payload)
        if len(self.held) > PLAN_MAX_TAGS or self.held_bytes > PLAN_MAX_BYTES:
            raise StreamRefused("no H.264 video arrived; send H.264 video (and AAC audio)")

    def plan(self) -> StreamPlan | None:
        if self.avc is None or self.first_frame_ms is None:
            return None
        # The SPS is the truth; an SPS we cannot read falls back on what the encoder announced.
        size = (self.avc.width, self.avc.height) if self.avc.width and self.avc.height else self.announced_size
        if size is None:
            return None
        latest = max(tag.timestamp for tag in self.held)
        if self.audio is None and latest - self.first_frame_ms < AUDIO_GRACE_MS:
            return None
        audio_codec = self.audio.codec_name if self.audio else None
        return StreamPlan(
            width=size[0],
            height=size[1],
            video_codecs=self.avc.codecs,
            audio_codec=audio_codec,
            audio_codecs=(self.audio_codecs or "mp4a.40.2") if audio_codec else None,
            frame_rate=self.frame_rate,
            source_kbps=self.source_kbps,
        )


Disconnect = Callable[[], None]
Closed = Callable[["PublishSession", str], Awaitable[None]]
Planned = Callable[["PublishSession", StreamPlan], Awaitable[LiveTranscoder]]


class PublishSession:
    """Lives from the accepted `publish` until the publisher leaves or is sent away."""

    def __init__(
        self,
        *,
        live_input_id: str,
        event_id: str,
        key_digest: str,
        publisher_id: str,
        remote_addr: str,
        source: str,
        fresh: bool,
        disconnect: Disconnect,
        on_planned: Planned,
        on_closed: Closed,
    ) -> None:
        self.live_input_id = live_input_id
        self.event_id = event_id
        self.key_digest = key_digest
        self.publisher_id = publisher_id
        self.remote_addr = remote_addr
        self.source = source
        self.fresh = fresh
        self.connected_at = utcnow()
        self.health = HealthMeter()
        self.transcoder: LiveTranscoder | None = None
        self._disconnect = disconnect
        self._on_planned = on_planned
        self._on_closed = on_closed
        self._probe: StreamProbe | None = StreamProbe()
        self._closing: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()
        self.close_reason: str | None = None

    @property
    def is_closing(self) -> bool:
        return self._closing is not None

    def snapshot(self) -> dict[str, Any]:
        dropped = self.transcoder.progress.dropped_frames if self.transcoder else 0
        return self.health.snapshot(time.monotonic(), dropped)

    async def feed(self, tag: Tag) -> None:
        """One tag from the publisher (RTMP message or relay); awaits the transcoder (backpressure)."""
        if self.is_closing:
            return
        now = time.monotonic()
        if tag.kind == flv.TAG_SCRIPT:
            if self._probe is not None and self._probe.metadata is None:
                self._probe.metadata = tag
                self._probe.announce(read_script_data(tag.payload))
            return
        if tag.kind not in (flv.TAG_AUDIO, flv.TAG_VIDEO):
            return
        self.health.media(tag, now)
        try:
            self._inspect(tag, now)
        except StreamRefused as refused:
            await self.close(str(refused))
            return
        if self._probe is not None:
            await self._plan_or_hold(tag)
            return
        await self._forward(flv.encode_tag(tag))

    def _inspect(self, tag: Tag, now: float) -> None:
        if tag.is_video:
            info = flv.video_tag_info(tag.payload)
            if info is None:
                return
            if info.enhanced or info.codec_id != flv.VIDEO_CODEC_AVC:
                raise StreamRefused(f"unsupported video codec {info.codec_name}; send H.264")
            self.health.video_codec = "h264"
            if info.is_sequence_header:
                config = flv.parse_avc_sequence_header(tag.payload)
                if config is not None:
                    self.health.width, self.health.height = config.width, config.height
                    if self._probe is not None:
                        self._probe.avc = config
            elif info.is_frame:
                self.health.frame(tag.timestamp, info.keyframe, now)
                if self._probe is not None and self._probe.avc is not None and self._probe.first_frame_ms is None:
                    self._probe.first_frame_ms = tag.timestamp
        else:
            audio = flv.audio_tag_info(tag.payload)
            if audio is None:
                return
            self.health.audio_codec = audio.codec_name
            if self._probe is not None and self._probe.audio is None:
                self._probe.audio = audio
                if audio.is_sequence_header:
                    self._probe.audio_codecs = flv.aac_codecs(tag.payload)

    async def _plan_or_hold(self, tag: Tag) -> None:
        probe = self._probe
        assert probe is not None
        try:
            probe.hold(tag)
        except StreamRefused as refused:
            await self.close(str(refused))
            return
        plan = probe.plan()
        if plan is None:
            return
        if probe.frame_rate is None:
            plan = _with_frame_rate(plan, probe)
        self._probe = None
        try:
            self.transcoder = await self._on_planned(self, plan)
        except Exception as exc:
            log.exception("could not start the live transcoder for %s", self.live_input_id)
            await self.close(f"the transcoder could not start: {exc}")
            return
        header = flv.file_header(audio=plan.audio_codec is not None, video=True)
        prelude = [probe.metadata] if probe.metadata is not None else []
        buffered = b"".join(flv.encode_tag(t) for t in [*prelude, *probe.held] if _wanted(t, plan))
        await self._forward(header + buffered)

    async def _forward(self, data: bytes) -> None:
        transcoder = self.transcoder
        if transcoder is None:
            return
        try:
            await transcoder.write(data)
        except TranscoderGone:
            await self.close("the transcoder stopped; see the ffmpeg log")

    async def close(self, reason: str) -> None:
        """Idempotent: disconnect the publisher, finish the transcoder, record why (once)."""
        if self._closing is None:
            self.close_reason = reason
            self._closing = asyncio.create_task(self._close(reason))
        await asyncio.shield(self._closing)

    async def _close(self, reason: str) -> None:
        with contextlib.suppress(Exception):
            self._disconnect()
        try:
            await self._on_closed(self, reason)
        finally:
            self.closed.set()


def _wanted(tag: Tag, plan: StreamPlan) -> bool:
    return tag.kind != flv.TAG_AUDIO or plan.audio_codec is not None


def _with_frame_rate(plan: StreamPlan, probe: StreamProbe) -> StreamPlan:
    """The frame rate from the publisher's metadata is not always there; the held frames tell us too."""
    frames = sorted(
        tag.timestamp
        for tag in probe.held
        if tag.is_video and (info := flv.video_tag_info(tag.payload)) is not None and info.is_frame
    )
    if len(frames) >= 3 and frames[-1] > frames[0]:
        fps = round((len(frames) - 1) * 1000 / (frames[-1] - frames[0]), 2)
        return replace(plan, frame_rate=fps)
    return plan


def _positive(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1e7:
        return float(value)
    return None
