"""The admission gate cache: a crowd arriving as an entry expires costs one event read, and edits show at once."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event as sa_event

from golive.access.gates import gate_cache, gate_for
from golive.platform.context import AppContext
from tests.support import AdminLogin, Factory


async def test_a_crowd_on_a_cold_cache_reads_the_event_once(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner)
    gate_cache.clear()
    event_reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM events" in statement:
            event_reads.append(statement)

    sa_event.listen(app_ctx.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        gates = await asyncio.gather(*(gate_for(app_ctx.db, event["eventId"], 2.0) for _ in range(50)))
    finally:
        sa_event.remove(app_ctx.db.engine.sync_engine, "before_cursor_execute", count)

    assert {gate.title for gate in gates} == {event["title"]}
    assert len(event_reads) == 1


async def test_an_edit_reaches_the_next_admission_at_once(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner)
    viewer = await factory.register(event["eventId"])
    assert viewer.json()["accessVerified"] is True

    changed = await factory.http.put(
        f"/api/events/{event['eventId']}",
        json={"accessType": "password", "accessPassword": "correct horse"},
        headers=owner.headers,
    )
    assert changed.status_code == 200, changed.text

    newcomer = await factory.register(event["eventId"])
    assert newcomer.status_code == 200
    assert newcomer.json()["accessVerified"] is False
