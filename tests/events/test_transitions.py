"""Lifecycle transitions over HTTP, their automation and audit entries, and the scheduler."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from golive.events import service
from golive.events.models import EventStatus
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests.support import AdminLogin, Factory, assert_error


async def move(client: httpx.AsyncClient, admin: AdminLogin, event_id: str, target: str) -> httpx.Response:
    return await client.post(f"/api/events/{event_id}/transitions", json={"to": target}, headers=admin.headers)


async def test_an_event_goes_through_its_whole_life(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event_id = (await factory.event(owner))["eventId"]
    for target in ("scheduled", "live", "ended", "archived"):
        response = await move(client, owner, event_id, target)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == target
    assert response.json()["allowedTransitions"] == []


async def test_an_illegal_transition_is_a_409_that_changes_nothing(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event_id = (await factory.event(owner))["eventId"]
    error = assert_error(await move(client, owner, event_id, "ended"), 409, "illegal_transition")
    assert error["details"] == {"from": "draft", "to": "ended", "allowed": ["scheduled", "cancelled"]}
    event = (await client.get(f"/api/events/{event_id}", headers=owner.headers)).json()
    assert event["status"] == "draft"
    automation = (await client.get(f"/api/events/{event_id}/automation", headers=owner.headers)).json()
    assert automation["items"] == []


async def test_an_unknown_target_status_is_a_422(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event_id = (await factory.event(owner))["eventId"]
    assert_error(await move(client, owner, event_id, "paused"), 422, "validation_error")


async def test_each_transition_is_logged_in_automation_and_audit(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event_id = (await factory.event(owner))["eventId"]
    for target in ("scheduled", "live", "ended", "archived"):
        await move(client, owner, event_id, target)
    automation = (await client.get(f"/api/events/{event_id}/automation", headers=owner.headers)).json()["items"]
    assert [(a["triggerType"], a["action"], a["executionStatus"]) for a in reversed(automation)] == [
        ("schedule", "transition.scheduled", "success"),
        ("preStart", "transition.live", "success"),
        ("postStop", "transition.ended", "success"),
        ("cleanup", "transition.archived", "success"),
    ]
    audit = (await client.get(f"/api/events/{event_id}/audit", headers=owner.headers)).json()["items"]
    transitions = [a for a in reversed(audit) if a["action"] == "event.transition"]
    assert [(a["before"]["status"], a["after"]["status"]) for a in transitions] == [
        ("draft", "scheduled"),
        ("scheduled", "live"),
        ("live", "ended"),
        ("ended", "archived"),
    ]
    assert all(a["actorId"] == owner.admin_id and a["actorType"] == "admin" for a in transitions)
    assert audit[-1]["action"] == "event.create"


async def test_updates_are_audited_with_before_and_after(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event_id = (await factory.event(owner, title="Old"))["eventId"]
    await client.put(
        f"/api/events/{event_id}", json={"title": "New", "accessPassword": "s3cret!"}, headers=owner.headers
    )
    audit = (await client.get(f"/api/events/{event_id}/audit", headers=owner.headers)).json()["items"]
    update = next(a for a in audit if a["action"] == "event.update")
    assert update["before"] == {"title": "Old", "accessPassword": None}
    assert update["after"] == {"title": "New", "accessPassword": "(set)"}


async def test_concurrent_transitions_from_one_state_succeed_exactly_once(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory, is_postgres: bool
) -> None:
    event_id = (await factory.event(owner))["eventId"]
    await move(client, owner, event_id, "scheduled")
    results = await asyncio.gather(*(move(client, owner, event_id, "live") for _ in range(5)))
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(200) == 1 and statuses.count(409) == 4, statuses
    automation = (await client.get(f"/api/events/{event_id}/automation", headers=owner.headers)).json()["items"]
    assert sum(1 for a in automation if a["action"] == "transition.live") == 1


async def test_the_scheduler_starts_due_on_demand_events_and_ends_finished_ones(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory, app_ctx: AppContext
) -> None:
    now = utcnow()
    due = await factory.event(owner, title="due", scheduledStart=(now - timedelta(minutes=1)).isoformat())
    later = await factory.event(owner, title="later", scheduledStart=(now + timedelta(hours=1)).isoformat())
    manual = await factory.event(
        owner, title="manual", autoStart=False, scheduledStart=(now - timedelta(minutes=1)).isoformat()
    )
    over = await factory.event(
        owner,
        title="over",
        scheduledStart=(now - timedelta(hours=2)).isoformat(),
        scheduledEnd=(now - timedelta(minutes=5)).isoformat(),
    )
    for event in (due, later, manual, over):
        await move(client, owner, event["eventId"], "scheduled")
    async with app_ctx.db.sessionmaker() as session:
        first = await service.advance_due_events(session, now)
    async with app_ctx.db.sessionmaker() as session:
        second = await service.advance_due_events(session, now)
    assert set(first) == {(due["eventId"], EventStatus.LIVE), (over["eventId"], EventStatus.LIVE)}
    assert second == [(over["eventId"], EventStatus.ENDED)]

    async def status(event_id: str) -> str:
        return str((await client.get(f"/api/events/{event_id}", headers=owner.headers)).json()["status"])

    assert [await status(e["eventId"]) for e in (due, later, manual, over)] == [
        "live",
        "scheduled",
        "scheduled",
        "ended",
    ]
    automation = (await client.get(f"/api/events/{due['eventId']}/automation", headers=owner.headers)).json()["items"]
    assert automation[0]["details"]["by"] == "scheduler"


async def test_audit_snapshots_use_the_api_field_names(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event_id = (await factory.event(owner))["eventId"]
    body = {"embedSettings": {"allowedDomains": ["a.example"]}, "scheduledStart": "2030-01-01T10:00:00Z"}
    await client.put(f"/api/events/{event_id}", json=body, headers=owner.headers)
    audit = (await client.get(f"/api/events/{event_id}/audit", headers=owner.headers)).json()["items"]
    after = next(a for a in audit if a["action"] == "event.update")["after"]
    assert after["embedSettings"]["allowedDomains"] == ["a.example"]
    assert after["scheduledStart"] == "2030-01-01T10:00:00Z"
