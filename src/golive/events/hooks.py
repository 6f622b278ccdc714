"""What the events domain asks of others through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive.events.models import StripeSetupStatus
from golive.platform.context import AppContext
from golive.platform.hooks import Hook


class EventSaved(Protocol):
    async def __call__(self, ctx: AppContext, event_id: str, price_changed: bool, renamed: bool = False) -> bool:
        """After an event is created or saved; True when the event row changed (so the caller refreshes it)."""
        ...


event_saved: Hook[EventSaved] = Hook("events.event_saved")


@dataclass(frozen=True)
class EventPrice:
    """Seed 004's `priceAmount`/`currency` and seed 000's `stripeSetupStatus`: the event's default price,
    which lives with the event's offers (commerce), not on the event row."""

    amount: int | None = None
    currency: str | None = None
    setup_status: StripeSetupStatus | None = None


NO_PRICE = EventPrice()


@dataclass(frozen=True)
class PriceWrite:
    """The event's price as the event API leaves it (what was sent over what was there)."""

    paid: bool
    amount: int | None
    currency: str | None


class EventPrices(Protocol):
    async def __call__(
        self, connection: AsyncSession | AsyncConnection, event_ids: Sequence[str]
    ) -> dict[str, EventPrice]:
        """The default price of each event that has one (one query for a page of events)."""
        ...


class SaveEventPrice(Protocol):
    async def __call__(self, session: AsyncSession, event_id: str, write: PriceWrite) -> bool:
        """Writes the default price in the caller's unit of work (no commit); True when the event now
        requires payment (what events.is_paid_event then says)."""
        ...


event_prices: Hook[EventPrices] = Hook("events.event_prices")


class EventPriceColumns(Protocol):
    def __call__(self, event_id: ColumnElement[str]) -> tuple[ColumnElement[Any], ...]:
        """The event's default price as columns of a query over events, correlated on `event_id` and labelled
        price_amount, currency and stripe_setup_status: a page of events reads its prices in its own statement."""
        ...


event_price_columns: Hook[EventPriceColumns] = Hook("events.event_price_columns")
save_event_price: Hook[SaveEventPrice] = Hook("events.save_event_price")
