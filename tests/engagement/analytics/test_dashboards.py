"""The event dashboard and the overview, checked against the hand-computed scenario."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.context import AppContext
from tests.engagement.analytics.conftest import Clock
from tests.engagement.analytics.scenario import EXPECTED, EXPECTED_TIMELINE, watch_scenario
from tests.support import AdminLogin, Factory, assert_error

T0 = datetime(2031, 5, 4, 10, 0, tzinfo=UTC)


async def test_the_dashboard_figures_match_the_hand_computed_ones(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    event_id = await watch_scenario(factory, owner, app_ctx, runtime, clock, T0)
    response = await factory.http.get(f"/api/analytics/{event_id}", headers=owner.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    for name, expected in EXPECTED.items():
        assert body[name] == expected, name
    # no range asked for: the event's own span, which holds every play
    assert body["eventType"] == "vod" and body["from"] <= "2031-05-04T10:00:00Z" < "2031-05-04T10:02:51Z" <= body["to"]


async def test_the_concurrent_viewers_timeline_counts_each_minute(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    event_id = await watch_scenario(factory, owner, app_ctx, runtime, clock, T0)
    window = {"from": "2031-05-04T10:00:00Z", "to": "2031-05-04T10:05:00Z"}
    body = (await factory.http.get(f"/api/analytics/{event_id}", params=window, headers=owner.headers)).json()
    concurrency = body["concurrency"]
    assert [p["viewers"] for p in concurrency["timeline"]] == EXPECTED_TIMELINE
    assert concurrency["timeline"][1]["at"] == "2031-05-04T10:01:00Z"
    assert (concurrency["peak"], concurrency["peakAt"], concurrency["stepSeconds"]) == (3, "2031-05-04T10:01:00Z", 60)

    # a range starting mid-way keeps the level of sessions that began before it
    later = {"from": "2031-05-04T10:01:00Z", "to": "2031-05-04T10:03:00+00:00"}
    body = (await factory.http.get(f"/api/analytics/{event_id}", params=later, headers=owner.headers)).json()
    assert [p["viewers"] for p in body["concurrency"]["timeline"]] == [3, 1]
    assert body["views"] == 2  # S3 and S4 started in the range


async def test_a_long_range_widens_the_timeline_step_and_keeps_the_peak(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    event_id = await watch_scenario(factory, owner, app_ctx, runtime, clock, T0)
    window = {"from": "2031-05-01T00:00:00Z", "to": "2031-05-08T00:00:00Z"}
    body = (await factory.http.get(f"/api/analytics/{event_id}", params=window, headers=owner.headers)).json()
    concurrency = body["concurrency"]
    assert concurrency["stepSeconds"] == 7 * 60 and len(concurrency["timeline"]) == 1440
    assert concurrency["peak"] == 3


async def test_the_peak_names_its_own_minute_on_a_wide_timeline(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    event_id = await watch_scenario(factory, owner, app_ctx, runtime, clock, T0)
    week = {"from": "2031-05-01T00:00:00Z", "to": "2031-05-08T00:00:00Z"}

    body = (await factory.http.get(f"/api/analytics/{event_id}", params=week, headers=owner.headers)).json()

    concurrency = body["concurrency"]
    assert concurrency["stepSeconds"] == 7 * 60  # steps start at 09:55, 10:02, ...
    assert (concurrency["peak"], concurrency["peakAt"]) == (3, "2031-05-04T10:01:00Z")


async def test_the_funnels_paid_step_is_the_revenue_blocks_payments(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    event_id = await watch_scenario(factory, owner, app_ctx, runtime, clock, T0)
    body = (await factory.http.get(f"/api/analytics/{event_id}", headers=owner.headers)).json()
    assert body["funnel"]["paid"] == sum(row["payments"] for row in body["revenue"]) == 4


async def test_the_sessions_export_as_csv(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    event_id = await watch_scenario(factory, owner, app_ctx, runtime, clock, T0)
    response = await factory.http.get(f"/api/analytics/{event_id}?format=csv", headers=owner.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["duration"] for r in rows] == ["100", "50", "10", "20"]
    assert [r["endReason"] for r in rows] == ["completed", "stopped", "error", "timeout"]
    assert rows[0]["startTime"] == "2031-05-04T10:00:00Z" and rows[2]["country"] == "DE"


async def test_the_overview_sums_every_event_in_the_range(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock
) -> None:
    event_id = await watch_scenario(factory, owner, app_ctx, runtime, clock, T0)
    await factory.event(owner, title="Never watched")
    body = (await factory.http.get("/api/analytics", headers=owner.headers)).json()
    assert [(e["eventId"], e["views"], e["uniqueViewers"], e["totalWatchSeconds"]) for e in body["events"]] == [
        (event_id, 4, 3, 180)
    ]
    assert (body["views"], body["uniqueViewers"], body["totalWatchSeconds"]) == (4, 3, 180)
    assert body["revenue"] == EXPECTED["revenue"]
    before = {"to": (T0 - timedelta(days=1)).isoformat()}
    assert (await factory.http.get("/api/analytics", params=before, headers=owner.headers)).json()["events"] == []


async def test_analytics_are_for_editors_and_check_the_range(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.event(owner)
    assert_error(await factory.http.get(f"/api/analytics/{event['eventId']}"), 401, "not_authenticated")
    backwards = {"from": "2031-05-04T10:00:00Z", "to": "2031-05-04T09:00:00Z"}
    response = await factory.http.get(f"/api/analytics/{event['eventId']}", params=backwards, headers=owner.headers)
    assert "to" in assert_error(response, 422, "validation_error")["details"]["fields"]
    for far in ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        response = await factory.http.get("/api/analytics", params={"from": far}, headers=owner.headers)
        assert_error(response, 422, "validation_error")
    assert_error(await factory.http.get("/api/analytics/nope", headers=owner.headers), 404, "event_not_found")
