"""The payments ledger and the provider events already handled (webhook idempotency)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from golive.db import Base, new_id, str_enum, utcnow


class LedgerStatus(enum.StrEnum):
    CREATED = "created"
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"


def new_payment_id() -> str:
    return f"pay_{new_id()}"


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_event_id_status", "event_id", "status"),)

    payment_id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_payment_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="RESTRICT"))
    viewer_id: Mapped[str] = mapped_column(ForeignKey("viewers.viewer_id", ondelete="RESTRICT"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    provider_payment_intent_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    provider_checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    provider_customer_id: Mapped[str | None] = mapped_column(String(255))
    amount: Mapped[int] = mapped_column(Integer)
    refunded_amount: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[LedgerStatus] = mapped_column(str_enum(LedgerStatus), default=LedgerStatus.CREATED)
    payment_method: Mapped[str | None] = mapped_column(String(64))
    receipt_url: Mapped[str | None] = mapped_column(String(1024))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    initiated_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProviderEvent(Base):
    """Every webhook event id received; a second delivery of the same id changes nothing."""

    __tablename__ = "provider_events"
    __table_args__ = (PrimaryKeyConstraint("provider", "provider_event_id"),)

    provider: Mapped[str] = mapped_column(String(20))
    provider_event_id: Mapped[str] = mapped_column(String(255))
    event_type: Mapped[str] = mapped_column(String(100))
    payment_id: Mapped[str | None] = mapped_column(String(40), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
