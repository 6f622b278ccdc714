"""The payments ledger, its refunds, the provider events already handled (webhook idempotency), and the
local test provider's own checkout sessions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, new_id, str_enum, utcnow


class LedgerStatus(enum.StrEnum):
    CREATED = "created"
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"
    EXPIRED = "expired"  # a checkout left unpaid until it closed: no money moved, nothing was declined


class RefundStatus(enum.StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def new_payment_id() -> str:
    return f"pay_{new_id()}"


def new_refund_id() -> str:
    return f"rfd_{new_id()}"


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_event_id_status", "event_id", "status"),
        Index("ix_payments_initiated_at", "initiated_at"),
        Index("ix_payments_status_receipt_sent_at", "status", "receipt_sent_at"),
    )

    payment_id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_payment_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="RESTRICT"))
    viewer_id: Mapped[str] = mapped_column(ForeignKey("viewers.viewer_id", ondelete="RESTRICT"), index=True)
    # what was bought: the offer and its price (commerce.offer_models); null only for rows from before offers
    # (no foreign keys: SQLite adds them only by rebuilding the ledger table; offers are never deleted)
    offer_id: Mapped[str | None] = mapped_column(String(40))
    price_id: Mapped[str | None] = mapped_column(String(40), index=True)
    # the payment holds one unit of its price's quantity (commerce.sales): taken at open, given back once
    unit_held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
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
    # the email the provider's checkout collected (the receipt goes there when the viewer gave none)
    customer_email: Mapped[str | None] = mapped_column(String(254))
    # the open checkout, reused while it is open so a returning viewer never gets a second one
    checkout_url: Mapped[str | None] = mapped_column(String(2048))
    checkout_expires_at: Mapped[datetime | None]
    checkout_completed_at: Mapped[datetime | None]
    initiated_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # claimed just before the receipt is sent (given back if sending fails): the sweep finds the lost ones
    receipt_sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Refund(Base):
    """A refund asked for through the API (refunds made in the provider's dashboard only move
    payments.refunded_amount, through the charge.refunded webhook)."""

    __tablename__ = "payment_refunds"

    refund_id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_refund_id)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.payment_id", ondelete="CASCADE"), index=True)
    provider_refund_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RefundStatus] = mapped_column(str_enum(RefundStatus), default=RefundStatus.PENDING)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
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


class LocalSessionStatus(enum.StrEnum):
    OPEN = "open"
    COMPLETE = "complete"
    EXPIRED = "expired"


class LocalCheckoutSession(Base):
    """The local test provider's side of a checkout (what Stripe keeps on its servers): the page reads
    it, and the webhooks it sends describe it in Stripe's shapes."""

    __tablename__ = "local_checkout_sessions"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payment_intent_id: Mapped[str] = mapped_column(String(64), unique=True)
    charge_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str | None] = mapped_column(String(254))
    success_url: Mapped[str] = mapped_column(String(2048))
    cancel_url: Mapped[str] = mapped_column(String(2048))
    extra: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    status: Mapped[LocalSessionStatus] = mapped_column(str_enum(LocalSessionStatus), default=LocalSessionStatus.OPEN)
    # "unpaid" until the charge settles, then "paid" (Stripe's checkout.session.payment_status)
    payment_status: Mapped[str] = mapped_column(String(20), default="unpaid")
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    amount_refunded: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
