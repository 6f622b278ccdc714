"""Offers and prices on the wire (camelCase): what admins send and see, and what a viewer is offered."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from golive.commerce.offer_models import OfferKind
from golive.events.models import StripeSetupStatus
from golive.events.schemas import Currency, UtcDatetime
from golive.platform.schemas import CamelModel, InputModel

MAX_AMOUNT = 100_000_000  # the event API's bound (priceAmount), in minor units
MAX_PRICES = 20


class PriceIn(InputModel):
    price_id: str | None = Field(
        default=None, max_length=40, description="keep this existing price (its sold count) on PUT; omit for a new one"
    )
    name: str = Field(default="", max_length=80, description='e.g. "Early bird", "Supporter"')
    amount: int = Field(gt=0, le=MAX_AMOUNT, description="minor units (cents)")
    currency: Currency = Field(description="ISO 4217, e.g. USD")
    sale_starts: UtcDatetime | None = None
    sale_ends: UtcDatetime | None = None
    quantity: int | None = Field(default=None, ge=1, le=10_000_000, description="units for sale; none: no limit")

    @model_validator(mode="after")
    def _window(self) -> Self:
        if self.sale_starts and self.sale_ends and self.sale_ends <= self.sale_starts:
            raise ValueError("saleEnds must be after saleStarts")
        return self


def _unique_price_ids(prices: list[PriceIn]) -> list[PriceIn]:
    kept = [p.price_id for p in prices if p.price_id]
    if len(set(kept)) != len(kept):
        raise ValueError("a priceId may appear once")
    return prices


class OfferIn(InputModel):
    name: str = Field(min_length=1, max_length=120)
    prices: Annotated[list[PriceIn], Field(min_length=1, max_length=MAX_PRICES), AfterValidator(_unique_price_ids)]


class PriceOut(CamelModel):
    price_id: str
    name: str
    amount: int = Field(description="minor units (cents)")
    currency: str
    sale_starts: datetime | None
    sale_ends: datetime | None
    quantity: int | None
    sold: int
    remaining: int | None = Field(description="units left; null without a quantity limit")
    on_sale: bool = Field(description="within its sale window now, with units left")


class OfferOut(CamelModel):
    offer_id: str
    event_id: str
    kind: OfferKind
    name: str
    is_default: bool = Field(description="the offer isPaidEvent/priceAmount/currency of the event read and write")
    prices: list[PriceOut]
    stripe_setup_status: StripeSetupStatus | None
    created_at: datetime
    updated_at: datetime


class PriceOnSale(CamelModel):
    """What a viewer is offered: a price on sale now."""

    price_id: str
    offer_id: str
    offer_name: str
    name: str
    amount: int = Field(description="minor units (cents)")
    currency: str
    sale_ends: datetime | None
    remaining: int | None = Field(description="units left; null without a quantity limit")


class PricesOnSale(CamelModel):
    items: list[PriceOnSale] = Field(description="in the order the checkout picks from: the first is the default")
