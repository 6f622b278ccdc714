"""What admission needs to know about an event, micro-cached: every viewer of an event asks at once.

Changes made in this process drop the entry at once (ORM events on Event); other instances see a
change after at most GOLIVE_PUBLIC_CACHE_SECONDS, the same bound as the public event JSON.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from golive.db import Database
from golive.events import service as events_service
from golive.events.models import AccessType, Event, EventStatus


@dataclass(frozen=True)
class Gate:
    event_id: str
    title: str
    status: EventStatus
    access_type: AccessType
    password_hash: str | None
    form_fields: list[dict[str, Any]]
    is_paid_event: bool

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
        )


class GateCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, Gate]] = {}
        self._max_entries = max_entries

    def get(self, event_id: str, max_age_seconds: float) -> Gate | None:
        entry = self._entries.get(event_id)
        if entry is None or time.monotonic() - entry[0] > max_age_seconds:
            return None
        return entry[1]

    def put(self, gate: Gate) -> None:
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        self._entries[gate.event_id] = (time.monotonic(), gate)

    def invalidate(self, event_id: str) -> None:
        self._entries.pop(event_id, None)

    def clear(self) -> None:
        self._entries.clear()


gate_cache = GateCache()


async def gate_for(db: Database, event_id: str, max_age_seconds: float) -> Gate:
    """The event's gate (404 for an unknown or deleted event), from memory when fresh enough."""
    if max_age_seconds > 0:
        cached = gate_cache.get(event_id, max_age_seconds)
        if cached is not None:
            return cached
    async with db.sessionmaker() as session:
        gate = Gate.of(await events_service.get_event(session, event_id))
    if max_age_seconds > 0:
        gate_cache.put(gate)
    return gate


@sa_event.listens_for(Event, "after_update")
def _forget_updated_event(_mapper: Mapper[Event], _connection: Connection, target: Event) -> None:
    gate_cache.invalidate(target.event_id)


@sa_event.listens_for(Session, "do_orm_execute")
def _forget_on_bulk_event_change(state: ORMExecuteState) -> None:
    """Status moves are bulk UPDATEs (no per-object event): forget every gate, it is only a cache."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None and state.bind_mapper.class_ is Event:
        gate_cache.clear()
