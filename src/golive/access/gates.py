"""What admission needs to know about an event, micro-cached: every viewer of an event asks at once.

Changes made in this process drop the entry at once (ORM events on Event); other instances see a
change after at most GOLIVE_PUBLIC_CACHE_SECONDS, the same bound as the public event JSON.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from golive.events import service as events_service
from golive.events.models import AccessType, Event, EventStatus
from golive.platform.db import Database
from golive.platform.ratings import ContentRating


@dataclass(frozen=True)
class Gate:
    event_id: str
    title: str
    status: EventStatus
    access_type: AccessType
    password_hash: str | None
    form_fields: list[dict[str, Any]]
    is_paid_event: bool
    content_rating: ContentRating | None = None

    @classmethod
    def of(cls, event: Event) -> Gate:
        return cls(
            event_id=event.event_id,
            title=event.title,
            status=event.status,
            access_type=event.access_type,
            password_hash=event.access_password_hash,
            form_fields=[dict(f) for f in event.form_fields],
            is_paid_event=event.is_paid_event,
            content_rating=event.content_rating,
        )


class GateCache:
    """Fresh-enough gates by event id. `generation` moves on every invalidation, so a load that raced
    with a change is not stored."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, Gate]] = {}
        self._max_entries = max_entries
        self.generation = 0

    def get(self, event_id: str, max_age_seconds: float) -> Gate | None:
        entry = self._entries.get(event_id)
        if entry is None or time.monotonic() - entry[0] > max_age_seconds:
            return None
        return entry[1]

    def put(self, gate: Gate, generation: int) -> None:
        if generation != self.generation:
            return
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        self._entries[gate.event_id] = (time.monotonic(), gate)

    def invalidate(self, event_id: str) -> None:
        self.generation += 1
        self._entries.pop(event_id, None)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


gate_cache = GateCache()
# One database read per event when the entry expires, however many viewers arrive at that moment.
_loading: dict[str, asyncio.Future[Gate]] = {}


async def _load_gate(db: Database, event_id: str) -> Gate:
    async with db.sessionmaker() as session:
        return Gate.of(await events_service.get_event(session, event_id))


async def gate_for(db: Database, event_id: str, max_age_seconds: float) -> Gate:
    """The event's gate (404 for an unknown or deleted event), from memory when fresh enough."""
    if max_age_seconds <= 0:
        return await _load_gate(db, event_id)
    cached = gate_cache.get(event_id, max_age_seconds)
    if cached is not None:
        return cached
    pending = _loading.get(event_id)
    if pending is not None:
        try:
            return await asyncio.shield(pending)
        except asyncio.CancelledError:
            if not pending.cancelled():
                raise  # this request was cancelled, not the shared load
            return await _load_gate(db, event_id)
    generation = gate_cache.generation
    loading: asyncio.Future[Gate] = asyncio.get_running_loop().create_future()
    _loading[event_id] = loading
    try:
        gate = await _load_gate(db, event_id)
    except Exception as exc:
        loading.set_exception(exc)
        loading.exception()  # retrieved: no "never retrieved" warning when nobody else waited
        raise
    except BaseException:
        loading.cancel()  # the loading request was cancelled: waiters load for themselves
        raise
    else:
        loading.set_result(gate)
        gate_cache.put(gate, generation)
        return gate
    finally:
        _loading.pop(event_id, None)


@sa_event.listens_for(Event, "after_update")
def _forget_updated_event(_mapper: Mapper[Event], _connection: Connection, target: Event) -> None:
    gate_cache.invalidate(target.event_id)


@sa_event.listens_for(Session, "do_orm_execute")
def _forget_on_bulk_event_change(state: ORMExecuteState) -> None:
    """Status moves are bulk UPDATEs (no per-object event): forget every gate, it is only a cache."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None and state.bind_mapper.class_ is Event:
        gate_cache.clear()
