"""The email log (seed 003): every message we send, with its delivery status."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, new_id, str_enum, utcnow


class EmailStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    FAILED = "failed"


class EmailMessage(Base):
    __tablename__ = "email_messages"
    __table_args__ = (Index("ix_email_messages_recipient_created", "recipient_email", "created_at"),)

    email_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    recipient_email: Mapped[str] = mapped_column(String(254))
    event_id: Mapped[str | None] = mapped_column(String(26), index=True)
    viewer_id: Mapped[str | None] = mapped_column(String(26))
    email_type: Mapped[str] = mapped_column(String(100), index=True)
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[EmailStatus] = mapped_column(str_enum(EmailStatus), default=EmailStatus.PENDING, index=True)
    provider: Mapped[str | None] = mapped_column(String(50))
    provider_message_id: Mapped[str | None] = mapped_column(String(255))
    error_message: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # set on a copy an admin sent again from the email log: the message it repeats
    resent_from_id: Mapped[str | None] = mapped_column(String(26))
