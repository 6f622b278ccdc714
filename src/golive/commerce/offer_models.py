"""What can be bought (offers) and for how much (prices). A ticket to an event today; purchases, rentals,
bundles, plans, bookings, tips and gifts later, with the same two tables.

An event's `isPaidEvent/priceAmount/currency` (seed 004) are the shorthand for its default ticket offer and
that offer's first price; `events.is_paid_event` is kept by commerce.offers as "the event has an active
ticket offer with a price", so the gate cache, admission and decide read it without a join.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from golive.events.models import StripeSetupStatus
from golive.platform.db import Base, TimestampMixin, new_id, str_enum


class OfferKind(enum.StrEnum):
    TICKET = "ticket"
    PURCHASE = "purchase"
    RENTAL = "rental"
    BUNDLE = "bundle"
    PLAN = "plan"
    BOOKING = "booking"
    TIP = "tip"
    GIFT = "gift"


class OfferScope(enum.StrEnum):
    EVENT = "event"


def new_offer_id() -> str:
    return f"off_{new_id()}"


def new_price_id() -> str:
    return f"price_{new_id()}"


class Offer(TimestampMixin, Base):
    __tablename__ = "offers"
    __table_args__ = (
        Index("ix_offers_scope_kind_scope_id", "scope_kind", "scope_id"),
        # one default offer per scope (the one the event API's priceAmount/currency read and write)
        Index(
            "uq_offers_default",
            "scope_kind",
            "scope_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    offer_id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_offer_id)
    kind: Mapped[OfferKind] = mapped_column(str_enum(OfferKind), default=OfferKind.TICKET)
    scope_kind: Mapped[OfferScope] = mapped_column(str_enum(OfferScope), default=OfferScope.EVENT)
    scope_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    # the provider's product (Stripe Product) and how far its setup got (seed 000's stripeSetupStatus)
    provider_product_id: Mapped[str | None] = mapped_column(String(255))
    provider_setup_status: Mapped[StripeSetupStatus | None] = mapped_column(str_enum(StripeSetupStatus))
    archived_at: Mapped[datetime | None]


class Price(TimestampMixin, Base):
    __tablename__ = "prices"
    __table_args__ = (Index("ix_prices_offer_id_position", "offer_id", "position"),)

    price_id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_price_id)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.offer_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80), default="")
    amount: Mapped[int] = mapped_column(Integer)  # minor units
    currency: Mapped[str] = mapped_column(String(3))
    sale_starts: Mapped[datetime | None]
    sale_ends: Mapped[datetime | None]
    quantity: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    # units taken: a checkout reserves one when it opens, gives it back when it expires or fails
    sold: Mapped[int] = mapped_column(Integer, default=0)
    provider_price_id: Mapped[str | None] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived_at: Mapped[datetime | None]
