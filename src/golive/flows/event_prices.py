"""The event API's price shorthand (events: isPaidEvent, priceAmount, currency) is the event's default
ticket offer (commerce): read for every event answer, written in the event save's unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive.commerce import offers
from golive.events.hooks import EventPrice, PriceWrite


async def event_prices(connection: AsyncSession | AsyncConnection, event_ids: Sequence[str]) -> dict[str, EventPrice]:
    return await offers.event_prices(connection, event_ids)


def event_price_columns(event_id: ColumnElement[str]) -> tuple[ColumnElement[Any], ...]:
    return offers.event_price_columns(event_id)


async def save_event_price(session: AsyncSession, event_id: str, write: PriceWrite) -> bool:
    return await offers.save_event_price(session, event_id, write)
