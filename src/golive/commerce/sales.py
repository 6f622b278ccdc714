"""What a viewer can buy now, which price a checkout charges, and the units a quantity limit hands out.

A unit is taken when a checkout opens, with one conditional UPDATE (sold + 1 only while sold < quantity),
so concurrent checkouts never oversell; it is given back when the checkout expires or fails for good, and
kept when it is paid. The payment row says whether it holds a unit (`unit_held`), which makes every give-back
happen once. A payment that succeeds after its unit was given back (a late success after the expiry sweep)
takes one again without the limit: the money was taken, the ticket is honoured.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive.commerce.models import LedgerStatus, Payment
from golive.commerce.offer_models import Offer, OfferKind, OfferScope, Price
from golive.commerce.offers import PRICE_ORDER, in_window, remaining
from golive.platform.db import utcnow
from golive.platform.errors import Conflict, ValidationFailed


@dataclass(frozen=True)
class Choice:
    offer: Offer
    price: Price


def price_key(choice: Choice) -> tuple[str, int, str]:
    """What an open checkout must match to be handed out again: the price, at its current amount."""
    return choice.price.price_id, choice.price.amount, choice.price.currency


async def all_prices(session: AsyncSession, event_id: str) -> list[Choice]:
    """Every active price of the event's active ticket offers, in the order a checkout picks from: the
    default offer first, then by age; within an offer, by position."""
    rows = await session.execute(
        select(Offer, Price)
        .join(Price, Price.offer_id == Offer.offer_id)
        .where(
            Offer.scope_kind == OfferScope.EVENT,
            Offer.scope_id == event_id,
            Offer.kind == OfferKind.TICKET,
            Offer.archived_at.is_(None),
            Price.archived_at.is_(None),
        )
        .order_by(Offer.is_default.desc(), Offer.created_at, Offer.offer_id, *PRICE_ORDER)
        .execution_options(populate_existing=True)
    )
    return [Choice(offer, price) for offer, price in rows.tuples()]


async def prices_on_sale(session: AsyncSession, event_id: str, now: datetime | None = None) -> list[Choice]:
    """What a viewer is offered: prices within their sale window with units left."""
    moment = now or utcnow()
    return [c for c in await all_prices(session, event_id) if _available(c.price, moment)]


def _available(price: Price, now: datetime) -> bool:
    left = remaining(price)
    return in_window(price, now) and (left is None or left > 0)


async def candidates(session: AsyncSession, event_id: str, price_id: str | None, now: datetime) -> list[Choice]:
    """The prices a checkout may charge, in order: the one asked for, or every price on sale now (the
    first is the default; when its window closed or it sold out, the next one is). Raises a clear 4xx
    when there is none."""
    every = await all_prices(session, event_id)
    if price_id is not None:
        asked = next((c for c in every if c.price.price_id == price_id), None)
        if asked is None:
            raise ValidationFailed(
                "That price is not on sale for this event", fields={"priceId": "is not a price of this event"}
            )
        _check_available(asked.price, now)
        return [asked]
    if not every:
        raise Conflict("This event has no price to pay", code="event_not_for_sale")
    available = [c for c in every if _available(c.price, now)]
    if not available:
        if any(in_window(c.price, now) for c in every):
            raise Conflict("Sold out: no tickets are left", code="price_sold_out")
        raise Conflict("No ticket is on sale right now", code="price_not_on_sale")
    return available


def _check_available(price: Price, now: datetime) -> None:
    if not in_window(price, now):
        window = {
            "saleStarts": price.sale_starts.isoformat() if price.sale_starts else None,
            "saleEnds": price.sale_ends.isoformat() if price.sale_ends else None,
        }
        raise Conflict("This price is not on sale right now", code="price_not_on_sale", details=window)
    left = remaining(price)
    if left is not None and left <= 0:
        raise Conflict("Sold out: no units of this price are left", code="price_sold_out")


async def reserve_unit(session: AsyncSession, price_id: str) -> bool:
    """Takes one unit of the price, only while one is left (one conditional UPDATE: exact under concurrency)."""
    result = await session.execute(
        update(Price)
        .where(
            Price.price_id == price_id,
            Price.archived_at.is_(None),
            or_(Price.quantity.is_(None), Price.sold < Price.quantity),
        )
        .values(sold=Price.sold + 1)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


def _lapsed(now: datetime) -> ColumnElement[bool]:
    """A checkout that can no longer be paid: expired, or failed and closed (or never opened)."""
    return or_(
        Payment.status == LedgerStatus.EXPIRED,
        (Payment.status == LedgerStatus.FAILED)
        & or_(
            Payment.checkout_completed_at.is_not(None),
            Payment.checkout_expires_at.is_(None),
            Payment.checkout_expires_at <= now,
        ),
    )


async def release_units(session: AsyncSession, payment_id: str | None = None) -> int:
    """Gives back the units of lapsed checkouts (one payment's, or all of them for the sweep), each once."""
    conditions = [Payment.unit_held.is_(True), _lapsed(utcnow())]
    if payment_id is not None:
        conditions.append(Payment.payment_id == payment_id)
    released = await session.execute(
        update(Payment)
        .where(*conditions)
        .values(unit_held=False)
        .returning(Payment.price_id)
        .execution_options(synchronize_session=False)
    )
    counts = Counter(price_id for (price_id,) in released if price_id is not None)
    for price_id, count in sorted(counts.items()):
        await session.execute(
            update(Price)
            .where(Price.price_id == price_id)
            .values(sold=Price.sold - count)
            .execution_options(synchronize_session=False)
        )
    return sum(counts.values())


async def keep_unit(session: AsyncSession, payment_id: str) -> None:
    """A paid payment holds its unit; one whose unit was given back (a late success) takes one again."""
    taken = await session.execute(
        update(Payment)
        .where(Payment.payment_id == payment_id, Payment.unit_held.is_(False), Payment.price_id.is_not(None))
        .values(unit_held=True)
        .returning(Payment.price_id)
        .execution_options(synchronize_session=False)
    )
    row = taken.first()
    if row is not None:
        await session.execute(
            update(Price)
            .where(Price.price_id == row[0])
            .values(sold=Price.sold + 1)
            .execution_options(synchronize_session=False)
        )
