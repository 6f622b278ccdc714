"""Playback telemetry: sessions with their rollups, the raw event log, and the daily aggregates
that outlive both once the retention period has passed (seed 000 section 7, seed 001 playback_events)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from golive.events.models import EventType
from golive.platform.db import Base, new_id, str_enum, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
EventRowId = BigInteger().with_variant(Integer(), "sqlite")


class PlaybackEventType(enum.StrEnum):
    START = "start"
    HEARTBEAT = "heartbeat"
    REBUFFER_START = "rebufferStart"
    REBUFFER_END = "rebufferEnd"
    RENDITION_SWITCH = "renditionSwitch"
    SEEK = "seek"
    PAUSE = "pause"
    ERROR = "error"
    END = "end"


class EndReason(enum.StrEnum):
    COMPLETED = "completed"  # the video played to its end
    STOPPED = "stopped"  # the viewer left (page hidden, player closed)
    ERROR = "error"  # a fatal error ended playback
    TIMEOUT = "timeout"  # no heartbeat for playback_session_timeout_seconds; closed by the job
    REPLACED = "replaced"  # the viewer opened more than playback_max_open_sessions_per_viewer; oldest closed


class PlaybackSession(Base):
    """One play of one viewer. Every counter is a rollup of its raw events, written at ingest, so the
    dashboards read sessions (thousands of rows per event), never the raw log (millions)."""

    __tablename__ = "playback_sessions"
    __table_args__ = (
        Index("ix_playback_sessions_event_id_start_time", "event_id", "start_time"),
        # the stale-session job: open sessions by their last sign of life
        Index(
            "ix_playback_sessions_open_last_seen",
            "last_heartbeat_at",
            postgresql_where=text("end_time IS NULL"),
            sqlite_where=text("end_time IS NULL"),
        ),
    )

    session_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"))
    viewer_id: Mapped[str] = mapped_column(ForeignKey("viewers.viewer_id", ondelete="CASCADE"), index=True)
    start_time: Mapped[datetime] = mapped_column(default=utcnow)
    end_time: Mapped[datetime | None]
    end_reason: Mapped[EndReason | None] = mapped_column(str_enum(EndReason, 16))
    # seconds of actual playback (the player's own clock), not wall time between start and end
    duration: Mapped[int] = mapped_column(Integer, default=0)
    playback_type: Mapped[EventType] = mapped_column(str_enum(EventType))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    device_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    location: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # the breakdown dimensions, copied out of device_info/location so GROUP BY needs no JSON
    device_type: Mapped[str] = mapped_column(String(20), default="unknown")
    browser: Mapped[str] = mapped_column(String(64), default="Other")
    os: Mapped[str] = mapped_column(String(64), default="Other")
    country: Mapped[str | None] = mapped_column(String(2))
    rendition: Mapped[str | None] = mapped_column(String(32))
    bitrate_kbps: Mapped[int | None] = mapped_column(Integer)
    media_duration: Mapped[float | None] = mapped_column(Float)
    startup_ms: Mapped[int | None] = mapped_column(Integer)
    rebuffer_count: Mapped[int] = mapped_column(Integer, default=0)
    rebuffer_ms: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    fatal_error: Mapped[bool] = mapped_column(Boolean, default=False)
    rendition_switches: Mapped[int] = mapped_column(Integer, default=0)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    last_position: Mapped[float | None] = mapped_column(Float)
    max_position: Mapped[float | None] = mapped_column(Float)
    last_heartbeat_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlaybackEvent(Base):
    """The raw telemetry log (seed 001 playback_events): kept for troubleshooting until the retention
    period ends; nothing on the dashboards reads it."""

    __tablename__ = "playback_events"

    id: Mapped[int] = mapped_column(EventRowId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("playback_sessions.session_id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(26))
    event_type: Mapped[PlaybackEventType] = mapped_column(str_enum(PlaybackEventType))
    received_at: Mapped[datetime]
    position: Mapped[float | None] = mapped_column(Float)
    played: Mapped[float | None] = mapped_column(Float)
    rendition: Mapped[str | None] = mapped_column(String(32))
    bitrate_kbps: Mapped[int | None] = mapped_column(Integer)
    buffer_seconds: Mapped[float | None] = mapped_column(Float)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(String(500))
    fatal: Mapped[bool | None] = mapped_column(Boolean)


class AnalyticsDaily(Base):
    """Per event and UTC day of session start: the additive totals of sessions rolled up and deleted."""

    __tablename__ = "analytics_daily"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    watch_seconds: Mapped[int] = mapped_column(BigInteger, default=0)
    vod_sessions: Mapped[int] = mapped_column(Integer, default=0)
    percent_watched_sum: Mapped[float] = mapped_column(Float, default=0.0)
    finishes: Mapped[int] = mapped_column(Integer, default=0)
    rebuffer_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    failed_sessions: Mapped[int] = mapped_column(Integer, default=0)


class AnalyticsDailyBreakdown(Base):
    """Sessions and watch time per (dimension, key) of rolled-up days; the startup-time histogram is the
    dimension `startupBucket`, so percentiles merge exactly across rolled-up and recent sessions."""

    __tablename__ = "analytics_daily_breakdowns"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    watch_seconds: Mapped[int] = mapped_column(BigInteger, default=0)


class AnalyticsDailyViewer(Base):
    """Who played on a rolled-up day: unique viewers are not additive, so the ids are kept (no PII)."""

    __tablename__ = "analytics_daily_viewers"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    viewer_id: Mapped[str] = mapped_column(String(26), primary_key=True)


class ConcurrencyDelta(Base):
    """+1 at the minute a rolled-up session started, -1 the minute after it ended: the concurrent-viewers
    timeline is their running sum, merged with the same deltas of the sessions still stored."""

    __tablename__ = "analytics_concurrency_deltas"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True)
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # minutes since the Unix epoch
    delta: Mapped[int] = mapped_column(Integer, default=0)
