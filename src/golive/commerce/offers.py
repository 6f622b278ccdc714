"""Offers and their prices: what admins set up (GET/POST/PUT/DELETE /api/events/{eventId}/offers), and the
event API's shorthand (isPaidEvent, priceAmount, currency), which reads and writes the default offer.

Every change keeps `events.is_paid_event` ("requires payment": an active ticket offer with a price) in the
same unit of work, and drops the event's public JSON from the micro-cache once committed. Offers are never
deleted: payments name them; DELETE archives one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.commerce.offer_models import Offer, OfferKind, OfferScope, Price
from golive.commerce.offer_schemas import OfferIn, OfferOut, PriceIn, PriceOut
from golive.events import service as events_service
from golive.events.hooks import EventPrice, PriceWrite
from golive.events.public_cache import public_event_cache
from golive.platform.db import utcnow
from golive.platform.errors import Conflict, NotFound, ValidationFailed

DEFAULT_OFFER_NAME = "Ticket"


@dataclass(frozen=True)
class OfferView:
    offer: Offer
    prices: list[Price]


def in_window(price: Price, now: datetime) -> bool:
    started = price.sale_starts is None or price.sale_starts <= now
    return started and (price.sale_ends is None or now < price.sale_ends)


def remaining(price: Price) -> int | None:
    return None if price.quantity is None else max(price.quantity - price.sold, 0)


def on_sale(price: Price, now: datetime) -> bool:
    left = remaining(price)
    return in_window(price, now) and (left is None or left > 0)


def _event_offers(event_id: str | ColumnElement[str]) -> ColumnElement[bool]:
    """The event's ticket offers (an id, or a query's event id column)."""
    return and_(Offer.scope_kind == OfferScope.EVENT, Offer.scope_id == event_id, Offer.kind == OfferKind.TICKET)


# The order an offer's prices are shown and tried in: its first is the event API's default price.
PRICE_ORDER = (Price.position, Price.price_id)


# --- "requires payment" and the event API's default price ----------------------------------------------


async def requires_payment(session: AsyncSession, event_id: str) -> bool:
    """The one answer to "must a viewer pay for this event": it has an active ticket offer with a price."""
    priced = exists().where(Price.offer_id == Offer.offer_id, Price.archived_at.is_(None))
    found = await session.scalar(
        select(Offer.offer_id).where(_event_offers(event_id), Offer.archived_at.is_(None), priced).limit(1)
    )
    return found is not None


async def _keep_flag(session: AsyncSession, event_id: str) -> None:
    await events_service.set_requires_payment(session, event_id, await requires_payment(session, event_id))


# Built once: every events page and event answer runs it, and building a statement costs more than its cached
# compile (the page's event ids are one expanding parameter).
_EVENT_PRICES = (
    select(Offer.scope_id, Price.amount, Price.currency, Offer.provider_setup_status)
    .outerjoin(Price, and_(Price.offer_id == Offer.offer_id, Price.archived_at.is_(None)))
    .where(
        Offer.scope_kind == OfferScope.EVENT,
        Offer.scope_id.in_(bindparam("event_ids", expanding=True)),
        Offer.kind == OfferKind.TICKET,
        Offer.is_default.is_(True),
    )
    .order_by(Offer.scope_id, *PRICE_ORDER)
)


def event_price_columns(event_id: ColumnElement[str]) -> tuple[ColumnElement[Any], ...]:
    """`event_prices` as three scalar subqueries correlated on a query's event id column (the events page)."""
    default = and_(_event_offers(event_id), Offer.is_default.is_(True))
    first = (
        select(Price.amount)
        .join(Offer, Offer.offer_id == Price.offer_id)
        .where(default, Price.archived_at.is_(None))
        .order_by(*PRICE_ORDER)
        .limit(1)
    )
    return (
        first.scalar_subquery().label("price_amount"),
        first.with_only_columns(Price.currency).scalar_subquery().label("currency"),
        select(Offer.provider_setup_status).where(default).limit(1).scalar_subquery().label("stripe_setup_status"),
    )


async def event_prices(connection: AsyncSession | AsyncConnection, event_ids: Sequence[str]) -> dict[str, EventPrice]:
    """Each event's default offer's first price (archived offer or not: an unpaid event remembers its price,
    as the event row did), in one statement for a page of events."""
    if not event_ids:
        return {}
    rows = await connection.execute(_EVENT_PRICES, {"event_ids": list(event_ids)})
    prices: dict[str, EventPrice] = {}
    for scope_id, amount, currency, status in rows:
        if scope_id not in prices:
            prices[scope_id] = EventPrice(amount=amount, currency=currency, setup_status=status)
    return prices


async def _default_offer(session: AsyncSession, event_id: str) -> Offer | None:
    return await session.scalar(select(Offer).where(_event_offers(event_id), Offer.is_default.is_(True)))


async def _active_prices(session: AsyncSession, offer_id: str) -> list[Price]:
    rows = await session.scalars(
        select(Price).where(Price.offer_id == offer_id, Price.archived_at.is_(None)).order_by(*PRICE_ORDER)
    )
    return list(rows)


async def save_event_price(session: AsyncSession, event_id: str, write: PriceWrite) -> bool:
    """The event API's write (no commit): the default offer's first price takes the amount and currency
    (a changed one forgets its provider Price, so no checkout charges the old amount); isPaidEvent false
    archives every ticket offer of the event, true brings the default one back. Returns requires_payment."""
    now = utcnow()
    offer = await _default_offer(session, event_id)
    if write.amount is not None and write.currency is not None:
        if offer is None:
            offer = Offer(
                kind=OfferKind.TICKET,
                scope_kind=OfferScope.EVENT,
                scope_id=event_id,
                name=DEFAULT_OFFER_NAME,
                is_default=True,
                archived_at=None if write.paid else now,
            )
            session.add(offer)
            await session.flush()
        prices = await _active_prices(session, offer.offer_id)
        if not prices:
            session.add(Price(offer_id=offer.offer_id, name="", amount=write.amount, currency=write.currency))
        elif (prices[0].amount, prices[0].currency) != (write.amount, write.currency):
            prices[0].amount, prices[0].currency = write.amount, write.currency
            prices[0].provider_price_id = None
            prices[0].updated_at = now
            offer.provider_setup_status = None
    elif offer is not None:
        for price in await _active_prices(session, offer.offer_id):
            price.archived_at = now
    if write.paid and offer is not None:
        offer.archived_at = None
    elif not write.paid:
        await session.execute(
            update(Offer)
            .where(_event_offers(event_id), Offer.archived_at.is_(None))
            .values(archived_at=now, updated_at=now)
            .execution_options(synchronize_session="fetch")
        )
    await session.flush()
    return await requires_payment(session, event_id)


# --- the offers API ------------------------------------------------------------------------------------


async def list_offers(session: AsyncSession, event_id: str) -> list[OfferView]:
    """The event's active offers, the default first, then oldest first; each with its active prices."""
    await events_service.get_event(session, event_id)
    offers = list(
        await session.scalars(
            select(Offer)
            .where(_event_offers(event_id), Offer.archived_at.is_(None))
            .order_by(Offer.is_default.desc(), Offer.created_at, Offer.offer_id)
        )
    )
    if not offers:
        return []
    prices = await session.scalars(
        select(Price)
        .where(Price.offer_id.in_([o.offer_id for o in offers]), Price.archived_at.is_(None))
        .order_by(*PRICE_ORDER)
    )
    by_offer: dict[str, list[Price]] = {o.offer_id: [] for o in offers}
    for price in prices:
        by_offer[price.offer_id].append(price)
    return [OfferView(o, by_offer[o.offer_id]) for o in offers]


async def get_offer(session: AsyncSession, event_id: str, offer_id: str) -> OfferView:
    offer = await session.scalar(
        select(Offer).where(_event_offers(event_id), Offer.offer_id == offer_id, Offer.archived_at.is_(None))
    )
    if offer is None:
        raise NotFound("No such offer", code="offer_not_found", details={"offerId": offer_id})
    return OfferView(offer, await _active_prices(session, offer_id))


async def create_offer(session: AsyncSession, event_id: str, body: OfferIn, actor: Actor) -> OfferView:
    """A new ticket offer; the event's default when it has no active default (the event API then shows its
    first price as priceAmount/currency)."""
    await events_service.get_event(session, event_id)
    if any(p.price_id for p in body.prices):
        sent = enumerate(body.prices)
        fields = {f"prices.{i}.priceId": "a new offer has no prices yet" for i, p in sent if p.price_id}
        raise ValidationFailed("Invalid offer", fields=fields)
    current_default = await _default_offer(session, event_id)
    takes_default = current_default is None or current_default.archived_at is not None
    if current_default is not None and takes_default:
        current_default.is_default = False
        await session.flush()
    offer = Offer(
        kind=OfferKind.TICKET, scope_kind=OfferScope.EVENT, scope_id=event_id, name=body.name, is_default=takes_default
    )
    session.add(offer)
    await session.flush()
    prices = [_new_price(offer.offer_id, position, p) for position, p in enumerate(body.prices)]
    session.add_all(prices)
    await session.flush()
    view = OfferView(offer, prices)
    _audit(session, actor, event_id, "offer.create", None, view)
    return await _finish(session, event_id, view)


async def replace_offer(session: AsyncSession, event_id: str, offer_id: str, body: OfferIn, actor: Actor) -> OfferView:
    """The offer's name and prices as sent, in order: a price sent with its priceId keeps its sold count (its
    quantity may not drop below it), one without is new, and one not sent is archived."""
    current = await get_offer(session, event_id, offer_id)
    before = _snapshot(current)
    kept = {p.price_id: p for p in current.prices}
    errors = {
        f"prices.{i}.priceId": "is not a price of this offer"
        for i, p in enumerate(body.prices)
        if p.price_id and p.price_id not in kept
    }
    errors |= {
        f"prices.{i}.quantity": f"{kept[p.price_id].sold} are sold already: the quantity may not be less"
        for i, p in enumerate(body.prices)
        if p.price_id in kept and p.quantity is not None and p.quantity < kept[p.price_id].sold
    }
    if errors:
        raise ValidationFailed("Invalid offer", fields=errors)
    now = utcnow()
    current.offer.name = body.name
    current.offer.updated_at = now
    sent_ids = {p.price_id for p in body.prices if p.price_id}
    for price in current.prices:
        if price.price_id not in sent_ids:
            price.archived_at = now
    for position, sent in enumerate(body.prices):
        if sent.price_id is None:
            session.add(_new_price(offer_id, position, sent))
            continue
        price = kept[sent.price_id]
        values: dict[str, Any] = {
            "name": sent.name,
            "amount": sent.amount,
            "currency": sent.currency,
            "sale_starts": sent.sale_starts,
            "sale_ends": sent.sale_ends,
            "quantity": sent.quantity,
            "position": position,
            "updated_at": now,
        }
        if (price.amount, price.currency) != (sent.amount, sent.currency):
            values["provider_price_id"] = None  # a provider Price is for one amount
        # conditional on the sold count, so a checkout reserving a unit meanwhile is never oversold
        limit = Price.sold <= sent.quantity if sent.quantity is not None else Price.sold >= 0
        result = await session.execute(
            update(Price)
            .where(Price.price_id == price.price_id, limit)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            await session.rollback()
            raise Conflict(
                "More units were sold meanwhile than the new quantity; reload and retry",
                code="quantity_below_sold",
                details={"priceId": price.price_id},
            )
    await session.flush()
    view = OfferView(current.offer, await _active_prices(session, offer_id))
    for price in view.prices:
        await session.refresh(price)
    _audit(session, actor, event_id, "offer.update", before, view)
    return await _finish(session, event_id, view)


async def archive_offer(session: AsyncSession, event_id: str, offer_id: str, actor: Actor) -> None:
    """DELETE: the offer stops selling (payments keep naming it); a default one hands the default on to the
    oldest remaining offer."""
    current = await get_offer(session, event_id, offer_id)
    before = _snapshot(current)
    now = utcnow()
    offer = current.offer
    offer.archived_at = now
    offer.updated_at = now
    if offer.is_default:
        offer.is_default = False
        await session.flush()
        heir = await session.scalar(
            select(Offer)
            .where(_event_offers(event_id), Offer.archived_at.is_(None))
            .order_by(Offer.created_at, Offer.offer_id)
            .limit(1)
        )
        if heir is not None:
            heir.is_default = True
    await session.flush()
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action="offer.delete",
        entity_type="event",
        entity_id=event_id,
        before=before,
        after=None,
        ip_address=actor.ip,
    )
    await _keep_flag(session, event_id)
    await session.commit()
    public_event_cache.invalidate(event_id)


def _new_price(offer_id: str, position: int, sent: PriceIn) -> Price:
    return Price(
        offer_id=offer_id,
        name=sent.name,
        amount=sent.amount,
        currency=sent.currency,
        sale_starts=sent.sale_starts,
        sale_ends=sent.sale_ends,
        quantity=sent.quantity,
        sold=0,
        position=position,
    )


async def _finish(session: AsyncSession, event_id: str, view: OfferView) -> OfferView:
    await _keep_flag(session, event_id)
    await session.commit()
    public_event_cache.invalidate(event_id)
    return view


def _snapshot(view: OfferView) -> dict[str, Any]:
    return offer_out(view, utcnow()).model_dump(
        by_alias=True, mode="json", include={"offer_id", "name", "is_default", "prices"}
    )


def _audit(
    session: AsyncSession, actor: Actor, event_id: str, action: str, before: dict[str, Any] | None, view: OfferView
) -> None:
    """On the event (entity event), so the editor's activity shows price changes beside the event's own."""
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action=action,
        entity_type="event",
        entity_id=event_id,
        before=before,
        after=_snapshot(view),
        ip_address=actor.ip,
    )


def price_out(price: Price, now: datetime) -> PriceOut:
    return PriceOut(
        price_id=price.price_id,
        name=price.name,
        amount=price.amount,
        currency=price.currency,
        sale_starts=price.sale_starts,
        sale_ends=price.sale_ends,
        quantity=price.quantity,
        sold=price.sold,
        remaining=remaining(price),
        on_sale=on_sale(price, now),
    )


def offer_out(view: OfferView, now: datetime) -> OfferOut:
    offer = view.offer
    return OfferOut(
        offer_id=offer.offer_id,
        event_id=offer.scope_id,
        kind=offer.kind,
        name=offer.name,
        is_default=offer.is_default,
        prices=[price_out(p, now) for p in view.prices],
        stripe_setup_status=offer.provider_setup_status,
        created_at=offer.created_at,
        updated_at=offer.updated_at,
    )
