"""The live input of a live event: its stream key (never stored), ingest state and health, the recording."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, TimestampMixin, new_id, str_enum


class IngestState(enum.StrEnum):
    """What the publisher is doing. `ended` is also shown for any input whose event is over."""

    IDLE = "idle"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    ENDED = "ended"


class RecordingStatus(enum.StrEnum):
    NONE = "none"  # nothing recorded yet
    RECORDING = "recording"  # parts are being written; the event is not over
    PENDING = "pending"  # the event is over; the job that makes the replay is queued
    PROCESSING = "processing"  # the job is joining the parts
    READY = "ready"  # the recording is one file and a replay asset was made from it
    FAILED = "failed"


class LiveInput(TimestampMixin, Base):
    """One per live event. The stream key is derived from `key_nonce` with the app secret (see keys.py);
    only its SHA-256 digest is stored, for the lookup at publish time."""

    __tablename__ = "live_inputs"

    live_input_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"), unique=True)
    key_nonce: Mapped[str] = mapped_column(String(64))
    stream_key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    key_rotated_at: Mapped[datetime | None]
    state: Mapped[IngestState] = mapped_column(str_enum(IngestState), default=IngestState.IDLE, index=True)
    # The publisher holding the key right now (a lease renewed with every health write): "<node>:<n>" for
    # the embedded listener, "hook:<nginx address>:<clientid>" for nginx-rtmp. Two at once are refused.
    publisher_id: Mapped[str | None] = mapped_column(String(120))
    publisher_seen_at: Mapped[datetime | None]
    # An nginx-rtmp publisher: the instance (LiveRuntime.node) pulling it from nginx, and the nginx it pulls
    # from. The lease is `publisher_seen_at`; once it lapses another instance takes the relay over.
    # `relay_url` is cleared when the encoder stopped (on_publish_done, on any instance): nothing to take over.
    relay_owner: Mapped[str | None] = mapped_column(String(120))
    relay_url: Mapped[str | None] = mapped_column(String(500))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    connected_at: Mapped[datetime | None]
    disconnected_at: Mapped[datetime | None]
    reconnect_deadline: Mapped[datetime | None]
    last_media_at: Mapped[datetime | None]
    # bitrateKbps, fps, width, height, videoCodec, audioCodec, keyframeIntervalSeconds, droppedFrames
    health: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # When the current broadcast's first segments existed in every rendition (viewers can play from then).
    stream_ready_at: Mapped[datetime | None]
    recording_status: Mapped[RecordingStatus] = mapped_column(str_enum(RecordingStatus), default=RecordingStatus.NONE)
    recording_duration: Mapped[float | None] = mapped_column(Float)
    # The joined recording's probe (golive.media.ffmpeg.ProbeResult as a dict), reused by every trim.
    recording_probe: Mapped[dict[str, Any]] = mapped_column(default=dict)
    recording_error: Mapped[str | None] = mapped_column(String(2000))
    replay_asset_id: Mapped[str | None] = mapped_column(String(26))
