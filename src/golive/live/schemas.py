"""The live wire format: the admin's live input (the control room's contract) and the replay trim."""

from __future__ import annotations

import enum
import math
from datetime import datetime

from pydantic import Field, field_validator

from golive.events.models import EventStatus
from golive.live.models import IngestState, RecordingStatus
from golive.platform.schemas import CamelModel, InputModel


class IngestHealthOut(CamelModel):
    """What the ingest measures of the encoder, refreshed every GOLIVE_LIVE_HEALTH_SECONDS while connected."""

    connected: bool
    bitrate_kbps: float | None
    fps: float | None
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codec: str | None
    keyframe_interval_seconds: float | None
    dropped_frames: int
    uptime_seconds: float | None
    connected_at: datetime | None
    last_media_at: datetime | None
    remote_addr: str | None


class RecordingOut(CamelModel):
    """The event's recording: it runs from the moment the encoder was accepted, so the waiting before
    "Go live" is in it; the trim tool's times are seconds into it."""

    status: RecordingStatus
    duration_seconds: float | None = Field(description="the joined recording's length, once it is ready")
    went_live_at_seconds: float | None = Field(
        description="where the event went live in the recording (a trim from here cuts the waiting); "
        "null when it was live from the start or the recording is not ready"
    )


class LiveInputOut(CamelModel):
    """Publish to `rtmpUrl + "/" + streamKey`. `previewUrl` is a signed master playlist while on air."""

    rtmp_url: str
    stream_key: str
    state: IngestState
    health: IngestHealthOut
    preview_url: str | None
    viewers: int
    recording: RecordingOut
    srt_url: str | None = None


class BroadcastState(enum.StrEnum):
    """What a viewer of a live event should be shown, from the event's status and its ingest."""

    WAITING = "waiting"  # not started: the event is not live yet, or its stream has not started
    LIVE = "live"  # the encoder is sending and the event is live
    INTERRUPTED = "interrupted"  # it was on air and the encoder went quiet: it resumes here if it comes back
    ENDED = "ended"  # the event is over


class LiveStatusOut(CamelModel):
    """The viewer's live status, polled by the player every few seconds (public, cached for
    GOLIVE_PUBLIC_CACHE_SECONDS). `replayReady`: the event is over and its replay can be played."""

    event_id: str
    status: EventStatus
    broadcast: BroadcastState
    replay_ready: bool


class ReplayTrimRequest(InputModel):
    """Seconds into the recording; `endSeconds` null keeps the recording's end."""

    start_seconds: float = Field(ge=0, le=7 * 24 * 3600)
    end_seconds: float | None = Field(default=None, gt=0, le=7 * 24 * 3600)

    @field_validator("start_seconds", "end_seconds")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value
