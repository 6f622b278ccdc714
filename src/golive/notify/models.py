"""An account's notifications and its email preferences (seed 003 `notifications`, seed 001 `marketing_opt_in`)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, new_id, str_enum, utcnow


class NotificationType(enum.StrEnum):
    """What a notification is about; later issues add theirs (a new episode, a reply in chat, a booking)."""

    PURCHASE_RECEIPT = "purchase_receipt"
    EVENT_STARTING_SOON = "event_starting_soon"  # 15 minutes before an event the account registered for
    EVENT_LIVE = "event_live"  # an event the account registered for is on air
    ACCESS_EXPIRING = "access_expiring"  # a right the account holds ends within a day
    ANNOUNCEMENT = "announcement"  # from the organizer, to those who opted in


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        # the bell's newest-first page and its unread count read this range alone
        Index("ix_notifications_account_id_created_at", "account_id", "created_at"),
        # one notification per account and occasion, however many sweeps or instances see it
        Index("ux_notifications_account_id_dedupe_key", "account_id", "dedupe_key", unique=True),
    )

    notification_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.account_id", ondelete="CASCADE"))
    kind: Mapped[NotificationType] = mapped_column(str_enum(NotificationType, length=32))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(500), default="")
    link: Mapped[str | None] = mapped_column(String(500))  # a page of this site (/e/...)
    event_id: Mapped[str | None] = mapped_column(String(26))
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class NotificationPreferences(Base):
    """Which mail an account wants beyond the transactional (receipts, codes, security notes: always sent)."""

    __tablename__ = "notification_preferences"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.account_id", ondelete="CASCADE"), primary_key=True)
    reminder_emails: Mapped[bool] = mapped_column(Boolean, default=False)
    announcement_emails: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
