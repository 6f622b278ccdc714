"""Events: what viewers come to watch, with its access policy and lifecycle (prices: commerce offers)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, TimestampMixin, new_id, str_enum
from golive.platform.ratings import ContentRating


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"


class EventType(enum.StrEnum):
    LIVE = "live"
    VOD = "vod"


class AccessType(enum.StrEnum):
    ANONYMOUS = "anonymous"
    FORM = "form"
    PASSWORD = "password"
    EMAIL = "email"
    ACCOUNT = "account"  # a signed-in audience account with a verified email


class StripeSetupStatus(enum.StrEnum):
    PENDING = "pending"
    CREATED = "created"
    FAILED = "failed"


class Event(TimestampMixin, Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_status_scheduled_start", "status", "scheduled_start"),
        Index("ix_events_scheduled_start", "scheduled_start"),
    )

    event_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    thumbnail_url: Mapped[str | None] = mapped_column(String(1024))
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.DRAFT)
    event_type: Mapped[EventType] = mapped_column(str_enum(EventType), default=EventType.VOD)
    scheduled_start: Mapped[datetime | None]
    scheduled_end: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    auto_start: Mapped[bool] = mapped_column(Boolean, default=True)
    auto_end: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("admins.admin_id", ondelete="SET NULL"), index=True)
    access_type: Mapped[AccessType] = mapped_column(str_enum(AccessType), default=AccessType.ANONYMOUS)
    access_password_hash: Mapped[str | None] = mapped_column(String(255))
    form_fields: Mapped[list[Any]] = mapped_column(default=list)
    # "requires payment": the event has an active ticket offer with a price. Kept by commerce.offers in the
    # same unit of work as every offer change (through set_requires_payment), so the hot paths (the gate
    # cache, admission, access.decide, the list's isPaid filter) read it without a join. The price itself
    # (priceAmount, currency) and the provider ids live with the offers (commerce.offer_models).
    is_paid_event: Mapped[bool] = mapped_column(Boolean, default=False)
    # seed 001's age rating (None: not rated); a profile limited to a lower one may not watch (access.decide)
    content_rating: Mapped[ContentRating | None] = mapped_column(str_enum(ContentRating, length=8))
    # on the site's home page while published; events from before the home page existed were not (migration 0019)
    is_listed: Mapped[bool] = mapped_column(Boolean, default=True)
    embed_settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
