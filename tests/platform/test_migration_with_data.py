"""The access redesign's migrations (0011 grants, 0012 offers) on a database full of today's data: every
viewer may watch exactly as before, every event shows the same price, the ledger adds up the same, and the
exports say the same. The data is written at 0010, the head before the redesign, the way that code wrote it."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, MetaData, Table, text
from sqlalchemy.ext.asyncio import AsyncConnection

from golive.access.admission import issue_viewer_token
from golive.app import create_app
from golive.identity.staff.models import AdminRole
from golive.migrate import upgrade
from golive.platform.context import AppContext
from golive.platform.db import make_engine, new_id
from golive.platform.settings import Settings
from tests.platform.test_migrations import scratch_database_url  # noqa: F401 (the fixture)
from tests.support import Factory

BEFORE_REDESIGN = "0010"
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
    may_watch: bool  # the rule before the redesign: cleared this gate, and paid if the event is paid
    payment_status: str
    is_paid_viewer: bool


@dataclass(frozen=True)
class EventCase:
    event_id: str
    gate: str
    paid: bool
    price: int | None
    currency: str | None


async def _seed(url: str) -> tuple[list[EventCase], list[ViewerCase], dict[str, tuple[int, int, str]]]:
    """Events of every gate, paid and unpaid (one unpaid keeping an old price), with viewers on several
    devices per email, succeeded, refunded and partly refunded payments."""
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
                for number, (verified, mode, pay) in enumerate(
                    [
                        (True, gate, "success"),  # paid (on a free event: an old payment)
                        (True, gate, "refunded"),
                        (True, gate, "partial"),  # partly refunded: still paid
                        (True, gate, None),  # cleared the gate only
                        (True, "anonymous" if gate != "anonymous" else "form", None),  # an older gate
                        (False, gate, None),  # never got through
                    ]
                ):
                    email = f"person{number}@example.com"
                    person_payment = f"pay_{new_id()}" if pay is not None else None
                    for device in range(2):  # several devices per email: the second copied the payment
                        viewer_id = new_id()
                        payment_id = person_payment
                        paid_viewer = pay in ("success", "partial")
                        status = {"success": "success", "partial": "success", "refunded": "refunded"}.get(
                            pay or "", "none"
                        )
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
                        viewers.append(ViewerCase(viewer_id, event.event_id, may_watch, status, paid_viewer))
                        if pay is not None and device == 0:
                            assert payment_id is not None
                            amount = price or 1200
                            refunded = {"refunded": amount, "partial": amount // 3}.get(pay, 0)
                            ledger_status = "refunded" if pay == "refunded" else "succeeded"
                            payments[payment_id] = (amount, refunded, ledger_status)
                            await _insert(
                                connection,
                                tables,
                                "payments",
                                payment_id=payment_id,
                                event_id=event.event_id,
                                viewer_id=viewer_id,
                                provider="local",
                                amount=amount,
                                refunded_amount=refunded,
                                currency="EUR",
                                status=ledger_status,
                                initiated_at=NOW - timedelta(hours=5),
                                confirmed_at=NOW - timedelta(hours=5),
                                updated_at=NOW,
                                metadata={},
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

                exported = await http.get(
                    f"/api/events/{event.event_id}/registrations", params={"format": "csv"}, headers=owner.headers
                )
                assert exported.status_code == 200, exported.text
                rows = list(csv.DictReader(io.StringIO(exported.text)))
                assert rows  # one row per person (their devices counted), each as the viewers table says
                mine = {viewer.viewer_id: viewer for viewer in viewers if viewer.event_id == event.event_id}
                for row in rows:
                    viewer = mine[row["viewerId"]]
                    assert row["paymentStatus"] == viewer.payment_status
                    assert row["isPaidViewer"].lower() == str(viewer.is_paid_viewer).lower()

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
