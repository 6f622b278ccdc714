"""Audience accounts: a person who signs up to hold rights across every event, and their sign-in sessions.

Staff (identity/staff) are a separate table on purpose: a compromised viewer account can never become an
admin. An account's grants are `grants` rows with subject kind `account` (access owns them).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, TimestampMixin, new_id, str_enum, utcnow
from golive.platform.ratings import ContentRating


class AccountStatus(enum.StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"  # by an admin: no sign-in, every session ended


class Account(TimestampMixin, Base):
    __tablename__ = "accounts"

    account_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # normalised (trimmed, lower case)
    name: Mapped[str] = mapped_column(String(120), default="")
    # NULL: a passwordless account (signs in with emailed codes only)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None]
    status: Mapped[AccountStatus] = mapped_column(str_enum(AccountStatus), default=AccountStatus.ACTIVE)
    last_login_at: Mapped[datetime | None]
    # how many profiles it has: raised by a conditional UPDATE before a profile is added, so parallel
    # requests never make more than MAX_PROFILES (profiles.py)
    profile_count: Mapped[int] = mapped_column(SmallInteger, default=0)


class AccountSession(Base):
    """A sign-in on one device; the cookie and bearer token carry its signed id, so it can be ended."""

    __tablename__ = "account_sessions"

    session_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.account_id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    # who is watching on this device (chosen after sign-in, with the profile's PIN if it has one); cleared when
    # the profile is removed (profiles.remove_profile)
    profile_id: Mapped[str | None] = mapped_column(String(26))


class CodePurpose(enum.StrEnum):
    VERIFY = "verify"  # prove the address after sign-up
    LOGIN = "login"  # passwordless sign-in
    RESET = "reset"  # choose a new password


class AccountCode(Base):
    """An emailed one-time code, stored as a keyed digest; spent once, tried a bounded number of times."""

    __tablename__ = "account_codes"
    __table_args__ = (Index("ix_account_codes_email_purpose", "email", "purpose"),)

    code_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254))
    purpose: Mapped[CodePurpose] = mapped_column(str_enum(CodePurpose))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccountProfile(TimestampMixin, Base):
    """One person watching under an account (seed 001 `profiles`): what they watch, resume and say hangs on it."""

    __tablename__ = "account_profiles"

    profile_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.account_id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    is_kids: Mapped[bool] = mapped_column(Boolean, default=False)
    max_rating: Mapped[ContentRating | None] = mapped_column(str_enum(ContentRating, length=8))
    language: Mapped[str] = mapped_column(String(16), default="en")
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    # a 256x256 WebP made from the upload (avatars.py): small enough to keep in the row, so every instance has it
    avatar: Mapped[bytes | None] = mapped_column(LargeBinary)
    avatar_updated_at: Mapped[datetime | None]
