"""Viewers: one row per (event, browser), the record that it passed the event's gate (mode, form data, device,
first and last join, counters). What it paid is in its grants and the ledger (access.payment_posture)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from golive.events.models import AccessType
from golive.platform.db import Base, new_id, str_enum, utcnow


# A viewer's payment on the wire (seed 000's paymentStatus); access.payment_posture reads it from grants and ledger.
class PaymentStatus(enum.StrEnum):
    NONE = "none"
    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"
    REFUNDED = "refunded"


class DeviceType(enum.StrEnum):
    DESKTOP = "desktop"
    MOBILE = "mobile"
    TABLET = "tablet"
    TV = "tv"
    BOT = "bot"
    UNKNOWN = "unknown"


class Viewer(Base):
    __tablename__ = "viewers"
    __table_args__ = (
        UniqueConstraint("event_id", "client_viewer_id"),
        Index("ix_viewers_email_event_id", "email", "event_id"),
    )

    viewer_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"))
    client_viewer_id: Mapped[str] = mapped_column(String(128))
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))
    access_mode: Mapped[AccessType] = mapped_column(str_enum(AccessType))
    form_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    access_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    device_type: Mapped[DeviceType] = mapped_column(str_enum(DeviceType), default=DeviceType.UNKNOWN)
    user_agent: Mapped[str | None] = mapped_column(String(512))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    first_join_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_join_at: Mapped[datetime] = mapped_column(default=utcnow)
    total_sessions: Mapped[int] = mapped_column(Integer, default=0)
    total_watch_time: Mapped[int] = mapped_column(Integer, default=0)
    last_position: Mapped[float | None] = mapped_column(Float)
    # the account session this browser was signed in with at its latest signed-in admission: the account's
    # rights count here while that session is live (access.watching.viewer_subject). No foreign key: a session
    # that is gone (an erased account) counts for nothing.
    account_session_id: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailCode(Base):
    """The one pending email code of an address for an event; a new request overwrites it."""

    __tablename__ = "email_codes"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    code_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
