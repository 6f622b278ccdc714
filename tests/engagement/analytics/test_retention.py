"""Retention: old sessions and their raw events are rolled into daily aggregates, and no figure moves."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from golive.engagement.analytics import service
from golive.engagement.analytics.models import AnalyticsDaily, PlaybackEvent, PlaybackSession
from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.context import AppContext
from tests.engagement.analytics.conftest import Clock
from tests.engagement.analytics.scenario import EXPECTED, watch_scenario
from tests.support import AdminLogin, Factory


async def dashboards(factory: Factory, owner: AdminLogin, event_id: str, day: datetime) -> list[dict[str, Any]]:
    """The event's dashboard over all time and over its whole day, and the overview (live count left out)."""
    whole_day = {"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()}
    bodies = [
        (await factory.http.get(f"/api/analytics/{event_id}", headers=owner.headers)).json(),
        (await factory.http.get(f"/api/analytics/{event_id}", params=whole_day, headers=owner.headers)).json(),
        (await factory.http.get("/api/analytics", params=whole_day, headers=owner.headers)).json(),
    ]
    for body in bodies[:2]:
        body["concurrency"].pop("current")
    return bodies


async def count(ctx: AppContext, model: Any) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_rolling_up_old_sessions_keeps_every_dashboard_figure(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    retention = app_ctx.settings.analytics_retention_days
    day = datetime.combine((datetime.now(UTC) - timedelta(days=retention + 10)).date(), time(0), UTC)
    event_id = await watch_scenario(factory, owner, app_ctx, runtime, clock, day + timedelta(hours=10))
    before = await dashboards(factory, owner, event_id, day)
    assert before[0]["views"] == EXPECTED["views"] and before[0]["concurrency"]["peak"] == 3
    assert await count(app_ctx, PlaybackEvent) > 0

    assert await service.roll_up_expired_sessions(app_ctx, now=datetime.now(UTC)) == 4

    assert await count(app_ctx, PlaybackSession) == 0
    assert await count(app_ctx, PlaybackEvent) == 0
    assert await count(app_ctx, AnalyticsDaily) == 1
    assert await dashboards(factory, owner, event_id, day) == before


async def test_recent_and_open_sessions_are_not_rolled_up(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    day = datetime.combine(datetime.now(UTC).date() - timedelta(days=1), time(0), UTC)
    await watch_scenario(factory, owner, app_ctx, runtime, clock, day + timedelta(hours=10))
    assert await service.roll_up_expired_sessions(app_ctx, now=datetime.now(UTC)) == 0
    assert await count(app_ctx, PlaybackSession) == 4
