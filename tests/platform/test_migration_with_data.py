"""The access redesign's migrations (0011 grants, 0012 offers, 0013 the viewers' payment columns dropped) on a
database full of today's data: every viewer may watch exactly as before, every event shows the same price, the
ledger adds up the same, and the exports, the payment filter and the funnel say the same. The data is written at
0010, the head before the redesign, the way that code wrote it; 0013's downgrade puts the columns back."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, MetaData, Table, inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection

from golive.access.admission import issue_viewer_token
from golive.app import create_app
from golive.identity.staff.models import AdminRole
from golive.migrate import downgrade, upgrade
from golive.platform.context import AppContext
from golive.platform.db import make_engine, new_id
from golive.platform.settings import Settings
from tests.platform.test_migrations import scratch_database_url  # noqa: F401 (the fixture)
from tests.support import Factory

BEFORE_REDESIGN = "0010"
BEFORE_DROP = "0012"
PAYMENT_COLUMNS = {"is_paid_viewer", "payment_status", "payment_id"}
NOW = datetime.now(UTC).replace(microsecond=0)
GATES = ("anonymous", "form", "password", "email")


def _filler(column: Any) -> Any:
    """A value for a NOT NULL column the scenario does not care about."""
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer | Float):
        return 0
    if isinstance(kind, DateTime):
        return NOW
    if isinstance(kind, JSON) or "JSON" in type(kind).__name__.upper():
        return {}
    return ""


async def _insert(connection: AsyncConnection, tables: dict[str, Table], name: str, **values: Any) -> None:
    table = tables[name]
    row = {
        column.name: _filler(column)
        for column in table.columns
        if not column.nullable and column.server_default is None and column.name not in values
    }
    await connection.execute(table.insert().values({**row, **values}))


@dataclass(frozen=True)
class ViewerCase:
    viewer_id: str
    event_id: str
    email: str
    mode: str
    may_watch: bool  # the rule before the redesign: cleared this gate, and paid if the event is paid
    payment_status: str
    is_paid_viewer: bool
    payment_id: str | None


@dataclass(frozen=True)
class EventCase:
    event_id: str
    gate: str
    paid: bool
    price: int | None
    currency: str | None


@dataclass(frozen=True)
class Charge:
    """A ledger row of a person's first device, as the code before the redesign left it."""

    status: str
    refunded: str = "none"  # none, part, full
    hours_ago: int = 5
    checkout: str | None = None  # None: no checkout kept; "open": still open; "completed": completed, unpaid


@dataclass(frozen=True)
class Person:
    """A person's two devices (paid, paymentStatus, the charge its payment_id names) and their charges."""

    devices: tuple[tuple[bool, str, int | None], tuple[bool, str, int | None]]
    charges: tuple[Charge, ...] = ()


NOBODY = Person(((False, "none", None), (False, "none", None)))
PEOPLE = {
    # paid (on a free event: an old payment); the second device copied the payment
    "success": Person(((True, "success", 0), (True, "success", 0)), (Charge("succeeded"),)),
    "refunded": Person(((False, "refunded", 0), (False, "refunded", 0)), (Charge("refunded", "full"),)),
    "partial": Person(((True, "success", 0), (True, "success", 0)), (Charge("succeeded", "part"),)),
    # an asynchronous payment still settling; a declined card (its checkout still open)
    "pending": Person(((False, "pending", None), (False, "none", None)), (Charge("pending", checkout="completed"),)),
    "declined": Person(((False, "failed", None), (False, "none", None)), (Charge("failed", checkout="open"),)),
    # refunded, then declined on a second try (the copy on the other device stays refunded)
    "retried": Person(
        ((False, "failed", 0), (False, "refunded", 0)),
        (Charge("refunded", "full"), Charge("failed", hours_ago=2, checkout="open")),
    ),
    # looked at the checkout and left it open
    "browsing": Person(((False, "none", None), (False, "none", None)), (Charge("pending", checkout="open"),)),
}


async def _seed(url: str) -> tuple[list[EventCase], list[ViewerCase], dict[str, tuple[int, int, str]]]:
    """Events of every gate, paid and unpaid (one unpaid keeping an old price), with viewers on several
    devices per email, succeeded, refunded, partly refunded, settling, declined and open payments."""
    engine = make_engine(url)
    events: list[EventCase] = []
    viewers: list[ViewerCase] = []
    payments: dict[str, tuple[int, int, str]] = {}
    async with engine.begin() as connection:
        metadata = MetaData()
        await connection.run_sync(lambda sync: metadata.reflect(sync))
        tables = dict(metadata.tables)
        for gate in GATES:
            for paid, price in ((False, None), (True, 1500), (False, 900)):
                event = EventCase(new_id(), gate, paid, price, "EUR" if price else None)
                events.append(event)
                await _insert(
                    connection,
                    tables,
                    "events",
                    event_id=event.event_id,
                    title=f"{gate} {'paid' if paid else 'free'} {price}",
                    status="live",
                    event_type="vod",
                    access_type=gate,
                    is_paid_event=paid,
                    price_amount=price,
                    currency=event.currency,
                    form_fields=[],
                    timezone="UTC",
                    created_at=NOW,
                    updated_at=NOW,
                )
                people = [(True, gate, kind) for kind in PEOPLE] + [
                    (True, gate, None),  # cleared the gate only
                    (True, "anonymous" if gate != "anonymous" else "form", None),  # an older gate
                    (False, gate, None),  # never got through
                ]
                for number, (verified, mode, kind) in enumerate(people):
                    person = PEOPLE[kind] if kind is not None else NOBODY
                    email = f"person{number}@example.com"
                    charge_ids = [f"pay_{new_id()}" for _ in person.charges]
                    device_ids = []
                    for paid_viewer, status, charge in person.devices:
                        viewer_id = new_id()
                        device_ids.append(viewer_id)
                        payment_id = charge_ids[charge] if charge is not None else None
                        await _insert(
                            connection,
                            tables,
                            "viewers",
                            viewer_id=viewer_id,
                            event_id=event.event_id,
                            client_viewer_id=f"browser-{new_id()}",
                            email=email,
                            access_mode=mode,
                            form_data={},
                            access_verified=verified,
                            is_paid_viewer=paid_viewer,
                            payment_status=status,
                            payment_id=payment_id,
                            device_type="desktop",
                            first_join_at=NOW - timedelta(days=1),
                            last_join_at=NOW,
                            created_at=NOW - timedelta(days=1),
                        )
                        cleared = verified and mode == gate
                        may_watch = cleared and (paid_viewer or not paid)
                        viewers.append(
                            ViewerCase(
                                viewer_id, event.event_id, email, mode, may_watch, status, paid_viewer, payment_id
                            )
                        )
                    for payment_id, charge in zip(charge_ids, person.charges, strict=True):
                        amount = price or 1200
                        refunded = {"full": amount, "part": amount // 3}.get(charge.refunded, 0)
                        payments[payment_id] = (amount, refunded, charge.status)
                        at = NOW - timedelta(hours=charge.hours_ago)
                        checkout: dict[str, Any] = {}
                        if charge.checkout is not None:
                            checkout = {
                                "checkout_url": f"http://testserver/checkout/{payment_id}",
                                "checkout_expires_at": NOW + timedelta(minutes=30),
                                "checkout_completed_at": at if charge.checkout == "completed" else None,
                            }
                        await _insert(
                            connection,
                            tables,
                            "payments",
                            payment_id=payment_id,
                            event_id=event.event_id,
                            viewer_id=device_ids[0],
                            provider="local",
                            amount=amount,
                            refunded_amount=refunded,
                            currency="EUR",
                            status=charge.status,
                            initiated_at=at,
                            confirmed_at=at if charge.status in ("succeeded", "refunded") else None,
                            updated_at=NOW,
                            metadata={},
                            **checkout,
                        )
    await engine.dispose()
    return events, viewers, payments


async def _ledger_totals(url: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT event_id, status, COUNT(*), SUM(amount), SUM(refunded_amount) FROM payments "
                "GROUP BY event_id, status ORDER BY event_id, status"
            )
        )
        totals = [tuple(row) for row in rows]
    await engine.dispose()
    return totals


@pytest.fixture
async def upgraded(scratch_database_url: str, tmp_path: Path) -> AsyncIterator[tuple[str, Any]]:  # noqa: F811
    await asyncio.to_thread(upgrade, scratch_database_url, BEFORE_REDESIGN)
    seeded = await _seed(scratch_database_url)
    before = await _ledger_totals(scratch_database_url)
    await asyncio.to_thread(upgrade, scratch_database_url)
    yield scratch_database_url, (seeded, before)


async def test_the_redesign_keeps_every_permission_price_total_and_export(
    upgraded: tuple[str, Any], tmp_path: Path
) -> None:
    url, ((events, viewers, payments), ledger_before) = upgraded
    assert await _ledger_totals(url) == ledger_before

    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=url,
        secret_key="test-secret-" + "x" * 40,
        embedded_worker=False,
        environment="test",
        rtmp_port=0,
    )
    application = create_app(settings)
    async with LifespanManager(application, shutdown_timeout=60):
        ctx: AppContext = application.state.ctx
        transport = httpx.ASGITransport(app=application, client=("203.0.113.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            owner = await Factory(ctx, http).admin(AdminRole.OWNER)

            for viewer in viewers:
                token = issue_viewer_token(ctx, viewer.viewer_id, viewer.event_id)
                played = await http.get(
                    f"/api/events/{viewer.event_id}/playback", headers={"Authorization": f"Bearer {token}"}
                )
                # allowed: on to the media (none uploaded here: 409 media_not_ready); refused: 403
                assert (played.status_code != 403) == viewer.may_watch, (viewer, played.text)
                if viewer.may_watch:
                    assert played.json()["error"]["code"] == "media_not_ready"

            for event in events:
                shown = (await http.get(f"/api/events/{event.event_id}", headers=owner.headers)).json()
                assert (shown["isPaidEvent"], shown["priceAmount"], shown["currency"]) == (
                    event.paid,
                    event.price,
                    event.currency,
                ), event

                path = f"/api/events/{event.event_id}/registrations"
                exported = await http.get(path, params={"format": "csv"}, headers=owner.headers)
                assert exported.status_code == 200, exported.text
                # one row per person, as the viewers table said: paid if a device paid, else the first device's
                people = _people([viewer for viewer in viewers if viewer.event_id == event.event_id])
                rows = {row["viewerId"]: row for row in csv.DictReader(io.StringIO(exported.text))}
                assert set(rows) == set(people)
                for first_id, (paid_person, status, _) in people.items():
                    assert (rows[first_id]["isPaidViewer"].lower(), rows[first_id]["paymentStatus"]) == (
                        str(paid_person).lower(),
                        status,
                    ), first_id
                for status in ("none", "pending", "success", "failed", "refunded"):
                    page = await http.get(path, params={"paymentStatus": status, "limit": 100}, headers=owner.headers)
                    listed_ids = {item["viewerId"] for item in page.json()["items"]}
                    assert listed_ids == {first for first, (_, _, had) in people.items() if status in had}, status

                funnel = (await http.get(f"/api/events/{event.event_id}/funnel", headers=owner.headers)).json()
                counted = Counter(
                    (viewer.mode, viewer.payment_status) for viewer in viewers if viewer.event_id == event.event_id
                )
                assert {(i["accessMode"], i["paymentStatus"]): i["viewers"] for i in funnel["items"]} == counted

            listed = await http.get("/api/payments", params={"format": "csv"}, headers=owner.headers)
            assert listed.status_code == 200, listed.text
            ledger_rows = {row["paymentId"]: row for row in csv.DictReader(io.StringIO(listed.text))}
            assert set(ledger_rows) == set(payments)
            for payment_id, (amount, refunded, status) in payments.items():
                row = ledger_rows[payment_id]
                assert row["status"] == status
                assert int(row["amount"]) == amount and int(row["refundedAmount"]) == refunded

    engine = make_engine(url)
    async with engine.connect() as connection:
        unnamed = set(
            await connection.scalars(text("SELECT event_id FROM payments WHERE offer_id IS NULL OR price_id IS NULL"))
        )
    await engine.dispose()
    # every payment names the offer and price it paid for, wherever the event ever had a price
    assert unnamed <= {event.event_id for event in events if event.price is None}

    assert not PAYMENT_COLUMNS & await _viewer_columns(url)
    await asyncio.to_thread(downgrade, url, BEFORE_DROP)
    restored = await _payment_columns(url)
    for viewer in viewers:
        assert restored[viewer.viewer_id][:2] == (viewer.is_paid_viewer, viewer.payment_status), viewer
        if viewer.payment_status in ("success", "refunded") or viewer.payment_id is None:
            assert restored[viewer.viewer_id][2] == viewer.payment_id, viewer


def _people(viewers: list[ViewerCase]) -> dict[str, tuple[bool, str, set[str]]]:
    """Per person (an email), by their first device's id: paid on any device, what the list says, and the
    statuses of all their devices (the `?paymentStatus=` filter matches a person on any of them)."""
    by_email: dict[str, list[ViewerCase]] = {}
    for viewer in viewers:
        by_email.setdefault(viewer.email, []).append(viewer)
    people = {}
    for devices in by_email.values():
        first = min(devices, key=lambda viewer: viewer.viewer_id)
        paid = any(viewer.is_paid_viewer for viewer in devices)
        people[first.viewer_id] = (
            paid,
            "success" if paid else first.payment_status,
            {viewer.payment_status for viewer in devices},
        )
    return people


async def _viewer_columns(url: str) -> set[str]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        columns = await connection.run_sync(lambda sync: {c["name"] for c in inspect(sync).get_columns("viewers")})
    await engine.dispose()
    return columns


async def _payment_columns(url: str) -> dict[str, tuple[bool, str, str | None]]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT viewer_id, is_paid_viewer, payment_status, payment_id FROM viewers")
        )
        restored = {row[0]: (bool(row[1]), row[2], row[3]) for row in rows}
    await engine.dispose()
    return restored
