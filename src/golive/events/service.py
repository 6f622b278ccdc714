"""Events: create, read, update, soft delete, and move through the lifecycle (the admin list: `listing`)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.automation import service as automation
from golive.events import lifecycle
from golive.events.description import render_description
from golive.events.hooks import (
    NO_PRICE,
    EventPrice,
    PriceWrite,
    event_prices,
    save_event_price,
)
from golive.events.models import AccessType, Event, EventStatus, EventType
from golive.events.public_cache import public_event_cache
from golive.events.schemas import EventCreate, EventFields, EventUpdate, event_out
from golive.platform.db import utcnow
from golive.platform.errors import Conflict, NotFound, ValidationFailed
from golive.platform.passwords import hash_password

log = logging.getLogger("golive.events")

# Fields an update may set back to null; the rest must keep a value.
CLEARABLE = frozenset(
    {"scheduled_start", "scheduled_end", "thumbnail_url", "price_amount", "currency", "content_rating"}
)
# The seed-004 shorthand for the event's default ticket price: written to its offer (commerce), not the row.
PRICE_FIELDS = frozenset({"is_paid_event", "price_amount", "currency"})
WIRE_NAMES = {name: info.alias or name for name, info in EventFields.model_fields.items()}


async def get_event(session: AsyncSession, event_id: str) -> Event:
    """A live (not deleted) event, or 404."""
    event = await session.scalar(select(Event).where(Event.event_id == event_id, Event.deleted_at.is_(None)))
    if event is None:
        raise NotFound("No such event", code="event_not_found", details={"eventId": event_id})
    return event


# What a visitor may see: drafts and cancelled events exist only for admins.
PUBLISHED_STATUSES = frozenset({EventStatus.SCHEDULED, EventStatus.LIVE, EventStatus.ENDED, EventStatus.ARCHIVED})


async def get_published_event(session: AsyncSession, event_id: str) -> Event:
    """An event a visitor may see, or the same 404 as for an event that does not exist."""
    event = await get_event(session, event_id)
    if event.status not in PUBLISHED_STATUSES:
        raise NotFound("No such event", code="event_not_found", details={"eventId": event_id})
    return event


async def price_of(session: AsyncSession | AsyncConnection, event_id: str) -> EventPrice:
    """The event's default price (priceAmount, currency, stripeSetupStatus), from its offers."""
    return (await event_prices.call(session, [event_id])).get(event_id, NO_PRICE)


def _snapshot(event: Event, price: EventPrice, fields: set[str]) -> dict[str, Any]:
    """The named fields as the API shows them (camelCase, ISO times), for before/after audit entries."""
    shown = event_out(event, price).model_dump(by_alias=True, mode="json")
    snapshot: dict[str, Any] = {}
    for field in sorted(fields):
        if field == "access_password":
            snapshot["accessPassword"] = "(set)" if event.access_password_hash else None
        else:
            snapshot[WIRE_NAMES[field]] = shown[WIRE_NAMES[field]]
    return snapshot


async def _apply(event: Event, body: EventFields) -> set[str]:
    """Copies the fields the caller sent onto the event (the price fields: see _price_write); returns
    the names of all that were sent."""
    sent = set(body.model_fields_set)
    for field in sent:
        value = getattr(body, field)
        if value is None and field not in CLEARABLE:
            raise ValidationFailed(
                "Invalid event", fields={WIRE_NAMES[field]: "may not be null"}, code="validation_error"
            )
        if field in PRICE_FIELDS:
            continue
        if field == "access_password":
            # argon2 costs tens of milliseconds of CPU: off the event loop.
            event.access_password_hash = await asyncio.to_thread(hash_password, value)
        elif field == "description":
            event.description = value
            event.description_html = render_description(value)
        elif field == "form_fields":
            event.form_fields = [f.model_dump() for f in value]
        elif field == "embed_settings":
            event.embed_settings = value.model_dump()
        else:
            setattr(event, field, value)
    return sent


def _price_write(event: Event, current: EventPrice, body: EventFields) -> PriceWrite | None:
    """The default price as the change leaves it, or None when the change sends no price field."""
    sent = body.model_fields_set & PRICE_FIELDS
    if not sent:
        return None
    return PriceWrite(
        paid=bool(body.is_paid_event) if "is_paid_event" in sent else event.is_paid_event,
        amount=body.price_amount if "price_amount" in sent else current.amount,
        currency=body.currency if "currency" in sent else current.currency,
    )


def _check_rules(event: Event, price: PriceWrite | None) -> None:
    """Rules that span fields, checked on the event as it would be after the change."""
    errors: dict[str, str] = {}
    if event.scheduled_start and event.scheduled_end and event.scheduled_end <= event.scheduled_start:
        errors["scheduledEnd"] = "must be after scheduledStart"
    if price is not None and price.paid:
        if not price.amount:
            errors["priceAmount"] = "a paid event needs a price greater than 0 (in minor units)"
        if not price.currency:
            errors["currency"] = "a paid event needs an ISO 4217 currency"
    elif price is not None and (price.amount is None) != (price.currency is None):
        # a price is an amount in a currency: half of one has nothing to be stored as (see docs/decisions.md)
        missing = "currency" if price.currency is None else "priceAmount"
        errors[missing] = "a price needs both priceAmount (minor units) and currency"
    if event.access_type == AccessType.PASSWORD and not event.access_password_hash:
        errors["accessPassword"] = "a password-protected event needs a password"
    if event.access_type == AccessType.FORM and not event.form_fields:
        errors["formFields"] = "a form-gated event needs at least one field"
    if errors:
        raise ValidationFailed("Invalid event", fields=errors)


async def create_event(session: AsyncSession, body: EventCreate, actor: Actor) -> Event:
    event = Event(
        title=body.title,
        event_type=body.event_type,
        status=EventStatus.DRAFT,
        created_by=actor.id if actor.kind == "admin" else None,
        description="",
        description_html="",
        form_fields=[],
        embed_settings={},
        timezone="UTC",
        auto_start=True,
        auto_end=True,
        access_type=AccessType.ANONYMOUS,
        is_paid_event=False,
    )
    sent = await _apply(event, body)
    write = _price_write(event, NO_PRICE, body)
    _check_rules(event, write)
    session.add(event)
    await session.flush()
    price = NO_PRICE
    if write is not None:
        event.is_paid_event = await save_event_price.call(session, event.event_id, write)
        await session.flush()
        price = await price_of(session, event.event_id)
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action="event.create",
        entity_type="event",
        entity_id=event.event_id,
        after=_snapshot(event, price, sent | {"title", "event_type"}),
        ip_address=actor.ip,
    )
    await session.commit()
    return event


async def update_event(session: AsyncSession, event_id: str, body: EventUpdate, actor: Actor) -> Event:
    event = await get_event(session, event_id)
    sent = set(body.model_fields_set)
    price_before = await price_of(session, event_id) if sent & PRICE_FIELDS else NO_PRICE
    before = _snapshot(event, price_before, sent)
    await _apply(event, body)
    write = _price_write(event, price_before, body)
    _check_rules(event, write)
    price_after = price_before
    if write is not None:
        # in this commit: a changed amount forgets its provider Price (see commerce.offers), so no checkout
        # opened before its replacement exists can charge the old amount (they send the amount inline)
        event.is_paid_event = await save_event_price.call(session, event_id, write)
        price_after = await price_of(session, event_id)
    event.updated_at = utcnow()
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action="event.update",
        entity_type="event",
        entity_id=event.event_id,
        before=before,
        after=_snapshot(event, price_after, sent),
        ip_address=actor.ip,
    )
    await session.commit()
    public_event_cache.invalidate(event_id)
    return event


async def delete_event(session: AsyncSession, event_id: str, actor: Actor) -> None:
    """Soft delete: the event disappears at once; media cleanup follows after the grace period.

    One conditional UPDATE, like a transition: of concurrent deletes one wins and the rest find it gone (404),
    and a delete racing a transition to live either lands before it (the transition then finds no event) or
    finds the event live (409); never both live and deleted.
    """
    now = utcnow()
    result = await session.execute(
        update(Event)
        .where(Event.event_id == event_id, Event.deleted_at.is_(None), Event.status != EventStatus.LIVE)
        .values(deleted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        await session.rollback()
        await get_event(session, event_id)  # 404 when it does not exist (or another delete won)
        raise Conflict("End the live event before deleting it", code="event_is_live")
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action="event.delete",
        entity_type="event",
        entity_id=event_id,
        before={"deletedAt": None},
        after={"deletedAt": now.isoformat()},
        ip_address=actor.ip,
    )
    await session.commit()
    public_event_cache.invalidate(event_id)


async def transition(
    session: AsyncSession, event_id: str, target: EventStatus, actor: Actor, reason: str | None = None
) -> Event:
    """Moves the event if the state machine allows it; a concurrent move wins once, the other gets 409."""
    event = await get_event(session, event_id)
    current = event.status
    if not lifecycle.can_transition(current, target):
        raise Conflict(
            f"An event cannot go from {current.value} to {target.value}",
            code="illegal_transition",
            details={
                "from": current.value,
                "to": target.value,
                "allowed": [s.value for s in lifecycle.allowed_transitions(current)],
            },
        )
    now = utcnow()
    result = await session.execute(
        update(Event)
        .where(Event.event_id == event_id, Event.status == current, Event.deleted_at.is_(None))
        .values(status=target, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        await session.rollback()
        raise Conflict("The event changed status meanwhile; reload and retry", code="transition_conflict")
    details: dict[str, Any] = {"from": current.value, "to": target.value, "by": actor.id or actor.kind}
    if reason:
        details["reason"] = reason
    automation.record(
        session,
        event_id=event_id,
        trigger=lifecycle.TRIGGER_ON_ENTER[target],
        action=f"transition.{target.value}",
        details=details,
    )
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action="event.transition",
        entity_type="event",
        entity_id=event_id,
        before={"status": current.value},
        after={"status": target.value},
        ip_address=actor.ip,
    )
    await session.commit()
    public_event_cache.invalidate(event_id)
    log.info(
        "event %s: %s -> %s by %s%s",
        event_id,
        current.value,
        target.value,
        actor.id or actor.kind,
        f" ({reason})" if reason else "",
    )
    await session.refresh(event)
    return event


async def advance_due_events(session: AsyncSession, now: datetime | None = None) -> list[tuple[str, EventStatus]]:
    """The scheduler's pass: start on-demand events whose time has come, end those whose time is up.

    Live-type events go live when their ingest sends the first segments, not by the clock.
    """
    now = now or utcnow()
    moves: list[tuple[str, EventStatus]] = []
    due_start = await session.scalars(
        select(Event.event_id).where(
            Event.deleted_at.is_(None),
            Event.status == EventStatus.SCHEDULED,
            Event.event_type == EventType.VOD,
            Event.auto_start.is_(True),
            Event.scheduled_start.is_not(None),
            Event.scheduled_start <= now,
        )
    )
    moves += [(event_id, EventStatus.LIVE) for event_id in due_start]
    due_end = await session.scalars(
        select(Event.event_id).where(
            Event.deleted_at.is_(None),
            Event.status == EventStatus.LIVE,
            Event.auto_end.is_(True),
            Event.scheduled_end.is_not(None),
            Event.scheduled_end <= now,
        )
    )
    moves += [(event_id, EventStatus.ENDED) for event_id in due_end]
    done = []
    for event_id, target in moves:
        try:
            await transition(session, event_id, target, Actor.system("scheduler"), reason="scheduled time")
        except (Conflict, NotFound):
            continue  # another worker or an admin moved it first
        done.append((event_id, target))
    return done


async def embed_allowed_domains(session: AsyncSession, event_id: str) -> list[str] | None:
    """The parent domains allowed to frame this event's embed, or None if there is no such event."""
    settings = await session.scalar(
        select(Event.embed_settings).where(Event.event_id == event_id, Event.deleted_at.is_(None))
    )
    if settings is None:
        return None
    domains = settings.get("allowed_domains", [])
    return [str(d) for d in domains] if isinstance(domains, list) else []


async def set_requires_payment(session: AsyncSession, event_id: str, requires: bool) -> None:
    """Commerce's offers keep the flag (events.is_paid_event) in their unit of work: the event has an active
    ticket offer with a price. A bulk UPDATE, so the gate cache forgets the event (access.gates)."""
    await session.execute(
        update(Event)
        .where(Event.event_id == event_id, Event.is_paid_event != requires)
        .values(is_paid_event=requires, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
