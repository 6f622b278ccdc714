"""Deleting an event is one conditional write: concurrent deletes win once, and a delete racing the event's
go-live never leaves it both live and deleted. The requests run at once, each on its own database connection
(on PostgreSQL they really race in the database; SQLite takes one writer at a time)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from sqlalchemy import func, select

from golive.audit.models import AuditLog
from golive.events.models import Event, EventStatus
from golive.platform.context import AppContext
from tests.support import AdminLogin, Factory

RACERS = 6
TRIALS = 5


async def scheduled_event(factory: Factory, client: httpx.AsyncClient, owner: AdminLogin) -> str:
    event = await factory.event(owner)
    response = await client.post(
        f"/api/events/{event['eventId']}/transitions", json={"to": "scheduled"}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    return str(event["eventId"])


async def delete_audit_rows(ctx: AppContext, event_id: str) -> int:
    async with ctx.db.sessionmaker() as session:
        query = select(func.count()).where(AuditLog.entity_id == event_id, AuditLog.action == "event.delete")
        return int(await session.scalar(query) or 0)


async def test_of_concurrent_deletes_exactly_one_wins_and_is_audited_once(
    factory: Factory, client: httpx.AsyncClient, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event_id = await scheduled_event(factory, client, owner)
    responses = await asyncio.gather(
        *(client.delete(f"/api/events/{event_id}", headers=owner.headers) for _ in range(RACERS * 2))
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses[204] == 1, statuses
    assert set(statuses) <= {204, 404, 409}, statuses
    assert await delete_audit_rows(app_ctx, event_id) == 1
    assert (await client.get(f"/api/events/{event_id}", headers=owner.headers)).status_code == 404


async def test_a_delete_racing_go_live_never_leaves_the_event_live_and_deleted(
    factory: Factory, client: httpx.AsyncClient, owner: AdminLogin, app_ctx: AppContext
) -> None:
    for _ in range(TRIALS):
        event_id = await scheduled_event(factory, client, owner)
        deletes = [client.delete(f"/api/events/{event_id}", headers=owner.headers) for _ in range(RACERS)]
        go_lives = [
            client.post(f"/api/events/{event_id}/transitions", json={"to": "live"}, headers=owner.headers)
            for _ in range(RACERS)
        ]
        racing = [request for pair in zip(deletes, go_lives, strict=True) for request in pair]
        responses = await asyncio.gather(*racing)
        deleted = [r.status_code for r in responses[0::2]]
        went_live = [r.status_code for r in responses[1::2]]

        assert set(deleted) <= {204, 404, 409} and set(went_live) <= {200, 404, 409}, (deleted, went_live)
        assert deleted.count(204) + went_live.count(200) == 1, (deleted, went_live)
        async with app_ctx.db.sessionmaker() as session:
            row = (
                await session.execute(select(Event.status, Event.deleted_at).where(Event.event_id == event_id))
            ).one()
        if row.deleted_at is not None:
            assert row.status != EventStatus.LIVE and deleted.count(204) == 1
        else:
            assert row.status == EventStatus.LIVE and went_live.count(200) == 1
        assert await delete_audit_rows(app_ctx, event_id) == deleted.count(204)
