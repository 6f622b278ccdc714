"""Playback sessions: one per play of one viewer, with quality-of-experience counters (seed 001)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from golive.db import Base, new_id, str_enum, utcnow
from golive.events.models import EventType


class PlaybackSession(Base):
    __tablename__ = "playback_sessions"
    __table_args__ = (Index("ix_playback_sessions_event_id_start_time", "event_id", "start_time"),)

    session_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"))
    viewer_id: Mapped[str] = mapped_column(ForeignKey("viewers.viewer_id", ondelete="CASCADE"), index=True)
    start_time: Mapped[datetime] = mapped_column(default=utcnow)
    end_time: Mapped[datetime | None]
    duration: Mapped[int] = mapped_column(Integer, default=0)
    playback_type: Mapped[EventType] = mapped_column(str_enum(EventType))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    device_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    location: Mapped[dict[str, Any]] = mapped_column(default=dict)
    startup_ms: Mapped[int | None] = mapped_column(Integer)
    rebuffer_count: Mapped[int] = mapped_column(Integer, default=0)
    rebuffer_ms: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    rendition_switches: Mapped[int] = mapped_column(Integer, default=0)
    last_position: Mapped[float | None] = mapped_column(Float)
    last_heartbeat_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
