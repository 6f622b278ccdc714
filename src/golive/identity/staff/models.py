"""Admins: the operators who run events, and their login sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, TimestampMixin, new_id, str_enum, utcnow


class AdminRole(enum.StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"


class AdminStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class Admin(TimestampMixin, Base):
    __tablename__ = "admins"

    admin_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[AdminRole] = mapped_column(str_enum(AdminRole), default=AdminRole.EDITOR)
    status: Mapped[AdminStatus] = mapped_column(str_enum(AdminStatus), default=AdminStatus.ACTIVE)
    last_login_at: Mapped[datetime | None]


class AdminSession(Base):
    """A login; the cookie and bearer token carry its signed id, so logout can revoke it."""

    __tablename__ = "admin_sessions"

    session_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    admin_id: Mapped[str] = mapped_column(ForeignKey("admins.admin_id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(512))
