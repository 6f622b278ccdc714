"""The live wire format: the admin's live input (the control room's contract) and the replay trim."""

from __future__ import annotations

import math
from datetime import datetime

from pydantic import Field, field_validator

from golive.live.models import IngestState, RecordingStatus
from golive.schemas import CamelModel, InputModel


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
