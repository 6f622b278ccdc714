"""The admins' analytics: one event's dashboard, all events over a range, the sessions as CSV."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from golive.access.models import Viewer
from golive.commerce.models import LedgerStatus, Payment
from golive.engagement.analytics.aggregates import (
    DIMENSIONS,
    STARTUP_DIMENSION,
    TimeRange,
    concurrency_timeline,
    event_deltas,
    event_parts,
    percentile,
    unique_viewers,
)
from golive.engagement.analytics.models import AnalyticsDaily, PlaybackSession
from golive.engagement.analytics.schemas import (
    AnalyticsOverview,
    BreakdownRow,
    Breakdowns,
    Concurrency,
    ConcurrencyPoint,
    EventAnalytics,
    EventSummary,
    Funnel,
    QualityOfExperience,
    RevenueRow,
)
from golive.events import service as events_service
from golive.events.models import Event, EventStatus, EventType
from golive.platform.context import AppContext
from golive.platform.csv_export import stream_csv
from golive.platform.db import utcnow
from golive.platform.errors import ValidationFailed
from golive.platform.realtime import Presence

OVERVIEW_MAX_EVENTS = 100
OVER = frozenset({EventStatus.ENDED, EventStatus.ARCHIVED, EventStatus.CANCELLED})


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def check_range(window: TimeRange) -> None:
    errors: dict[str, str] = {}
    for name, moment in (("from", window.start), ("to", window.end)):
        if moment is not None and not EARLIEST <= moment <= LATEST:
            errors[name] = "must be between 2000 and 2200"
    if not errors and window.start is not None and window.end is not None and window.start >= window.end:
        errors["to"] = "must be later than from"
    if errors:
        raise ValidationFailed("The time range is not valid", fields=errors)


async def event_analytics(ctx: AppContext, presence: Presence, event_id: str, window: TimeRange) -> EventAnalytics:
    """Without a range, the event's own span (`event_span`)."""
    check_range(window)
    async with ctx.db.sessionmaker() as session:
        event = await events_service.get_event(session, event_id)
    async with ctx.db.engine.connect() as connection:
        if window.start is None and window.end is None:
            window = await event_span(connection, event)
        parts = await event_parts(connection, event_id, window)
        viewers = (await unique_viewers(connection, [event_id], window)).get(event_id, 0)
        deltas = await event_deltas(connection, event_id, window)
        revenue = await _revenue(connection, [event_id], window)
        funnel = await _funnel(connection, event, window, revenue)
        watching = await _watching_now(ctx, connection, presence, event)
    totals = parts.totals
    timeline = concurrency_timeline(deltas, window)
    peak, peak_at = timeline.peak
    playing_ms = totals.watch_seconds * 1000
    stalled_and_playing = playing_ms + totals.rebuffer_ms
    histogram = parts.breakdowns.get(STARTUP_DIMENSION, {})
    return EventAnalytics(
        event_id=event.event_id,
        event_type=event.event_type,
        range_from=window.start,
        range_to=window.end,
        views=totals.sessions,
        unique_viewers=viewers,
        total_watch_seconds=totals.watch_seconds,
        average_watch_seconds=round(totals.watch_seconds / totals.sessions, 2) if totals.sessions else 0.0,
        average_percent_watched=(
            round(totals.percent_watched_sum / totals.vod_sessions, 2) if totals.vod_sessions else None
        ),
        finishes=totals.finishes if event.event_type == EventType.VOD else None,
        concurrency=Concurrency(
            current=watching,
            peak=peak,
            peak_at=peak_at,
            step_seconds=timeline.step_minutes * 60,
            timeline=[ConcurrencyPoint(at=at, viewers=count) for at, count in timeline.points],
        ),
        breakdowns=Breakdowns(
            **{_field(dimension): _rows(parts.breakdowns.get(dimension, {})) for dimension in DIMENSIONS}
        ),
        qoe=QualityOfExperience(
            startup_ms_p50=percentile(histogram, 0.50),
            startup_ms_p95=percentile(histogram, 0.95),
            rebuffering_ratio=round(totals.rebuffer_ms / stalled_and_playing, 4) if stalled_and_playing else 0.0,
            playback_failure_rate=round(totals.failed_sessions / totals.sessions, 4) if totals.sessions else 0.0,
        ),
        funnel=funnel,
        revenue=revenue,
    )


def _field(dimension: str) -> str:
    return "device_type" if dimension == "deviceType" else dimension


def _rows(cells: dict[str, list[int]]) -> list[BreakdownRow]:
    ordered = sorted(cells.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [BreakdownRow(key=key, sessions=cell[0], watch_seconds=cell[1]) for key, cell in ordered]


async def event_span(connection: AsyncConnection, event: Event) -> TimeRange:
    """The range "during the event": from its scheduled start (its creation without one), or its first play
    if that came earlier, to now while it runs, to its scheduled end once it is over; never before its last
    play's last sign of life. Whole minutes, read from the concurrency deltas (kept and rolled up alike), so
    the span is the same before and after a roll-up."""
    minutes = [
        minute for minute, delta in (await event_deltas(connection, event.event_id, TimeRange())).items() if delta
    ]
    base_start = event.scheduled_start or event.created_at
    base_end = (event.scheduled_end or utcnow()) if event.status in OVER else utcnow()
    start = _minute_floor(base_start)
    end = _minute_floor(base_end) + timedelta(minutes=1)
    if minutes:
        start = min(start, datetime.fromtimestamp(min(minutes) * 60, UTC))
        end = max(end, datetime.fromtimestamp(max(minutes) * 60, UTC))
    return TimeRange(start, end, whole_days=True)


def _minute_floor(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


async def _watching_now(ctx: AppContext, connection: AsyncConnection, presence: Presence, event: Event) -> int:
    """Players seen lately, but never more than the sessions still open (a closed session stops counting
    at once, on every instance), and nobody once a live event is over."""
    if event.event_type == EventType.LIVE and event.status in OVER:
        return 0
    recent = utcnow() - timedelta(seconds=ctx.settings.live_viewer_window_seconds)
    open_sessions = await connection.scalar(
        select(func.count()).where(
            PlaybackSession.event_id == event.event_id,
            PlaybackSession.end_time.is_(None),
            PlaybackSession.last_heartbeat_at >= recent,
        )
    )
    return min(await presence.count(event.event_id), int(open_sessions or 0))


async def _funnel(connection: AsyncConnection, event: Event, window: TimeRange, revenue: list[RevenueRow]) -> Funnel:
    """One cohort, the browsers that first opened the page in the range: every landing runs the
    re-entry check of POST /api/registrations, which writes the viewer row. `paid` is what the revenue
    block counts (the payments that succeeded in the range), so the two always agree; a free event
    without payments has no paid step."""
    event_id = event.event_id
    where = [Viewer.event_id == event_id]
    if window.start is not None:
        where.append(Viewer.first_join_at >= window.start)
    if window.end is not None:
        where.append(Viewer.first_join_at < window.end)
    row = (
        await connection.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((Viewer.access_verified, 1), else_=0)), 0),
                func.coalesce(func.sum(case((Viewer.total_sessions > 0, 1), else_=0)), 0),
            ).where(*where)
        )
    ).one()
    paid = sum(line.payments for line in revenue) if event.is_paid_event or revenue else None
    return Funnel(page_visits=int(row[0]), gate_passed=int(row[1]), paid=paid, played=int(row[2]))


async def _revenue(connection: AsyncConnection, event_ids: list[str] | None, window: TimeRange) -> list[RevenueRow]:
    """Succeeded payments minus refunds, per currency, by when they were confirmed."""
    when = func.coalesce(Payment.confirmed_at, Payment.initiated_at)
    refunded = case(
        (
            (Payment.status == LedgerStatus.REFUNDED) & (Payment.refunded_amount == 0),
            Payment.amount,
        ),
        else_=Payment.refunded_amount,
    )
    where: list[Any] = [Payment.status.in_([LedgerStatus.SUCCEEDED, LedgerStatus.REFUNDED])]
    if event_ids is not None:
        where.append(Payment.event_id.in_(event_ids))
    if window.start is not None:
        where.append(when >= window.start)
    if window.end is not None:
        where.append(when < window.end)
    rows = await connection.execute(
        select(Payment.currency, func.count(), func.sum(Payment.amount), func.sum(refunded))
        .where(*where)
        .group_by(Payment.currency)
        .order_by(Payment.currency)
    )
    return [
        RevenueRow(currency=currency, payments=int(count), gross=int(gross), refunded=int(back), net=int(gross - back))
        for currency, count, gross, back in rows
    ]


async def analytics_overview(ctx: AppContext, window: TimeRange) -> AnalyticsOverview:
    """Views, viewers and watch time of every event with plays in the range, most viewed first."""
    check_range(window)
    S, D = PlaybackSession, AnalyticsDaily
    totals: dict[str, list[int]] = {}
    async with ctx.db.engine.connect() as connection:
        kept = await connection.execute(
            select(S.event_id, func.count(), func.coalesce(func.sum(S.duration), 0))
            .where(*window.session_filter())
            .group_by(S.event_id)
        )
        rolled = await connection.execute(
            select(D.event_id, func.sum(D.sessions), func.sum(D.watch_seconds))
            .where(*window.day_filter(D.day))
            .group_by(D.event_id)
        )
        for event_id, views, watch in [*kept, *rolled]:
            cell = totals.setdefault(event_id, [0, 0])
            cell[0] += int(views)
            cell[1] += int(watch)
        viewers = await unique_viewers(connection, None, window)
        events = {
            row.event_id: row
            for row in await connection.execute(
                select(Event.event_id, Event.title, Event.event_type).where(
                    Event.event_id.in_(list(totals)), Event.deleted_at.is_(None)
                )
            )
        }
        revenue = await _revenue(connection, None, window)
    summaries = [
        EventSummary(
            event_id=event_id,
            title=events[event_id].title,
            event_type=events[event_id].event_type,
            views=cell[0],
            unique_viewers=viewers.get(event_id, 0),
            total_watch_seconds=cell[1],
        )
        for event_id, cell in totals.items()
        if event_id in events
    ]
    summaries.sort(key=lambda s: (-s.views, s.event_id))
    return AnalyticsOverview(
        range_from=window.start,
        range_to=window.end,
        views=sum(s.views for s in summaries),
        unique_viewers=sum(s.unique_viewers for s in summaries),
        total_watch_seconds=sum(s.total_watch_seconds for s in summaries),
        events=summaries[:OVERVIEW_MAX_EVENTS],
        revenue=revenue,
    )


CSV_COLUMNS = (
    ("sessionId", "session_id"),
    ("viewerId", "viewer_id"),
    ("startTime", "start_time"),
    ("endTime", "end_time"),
    ("endReason", "end_reason"),
    ("duration", "duration"),
    ("playbackType", "playback_type"),
    ("deviceType", "device_type"),
    ("browser", "browser"),
    ("os", "os"),
    ("country", "country"),
    ("rendition", "rendition"),
    ("startupMs", "startup_ms"),
    ("rebufferCount", "rebuffer_count"),
    ("rebufferMs", "rebuffer_ms"),
    ("errorCount", "error_count"),
    ("fatalError", "fatal_error"),
    ("renditionSwitches", "rendition_switches"),
    ("maxPosition", "max_position"),
    ("finished", "finished"),
    ("ipAddress", "ip_address"),
)
CSV_BATCH = 1000


async def sessions_csv(ctx: AppContext, event_id: str, window: TimeRange) -> tuple[str, AsyncIterator[str]]:
    """The file name and the rows of the event's kept sessions in the range (rolled-up ones are gone)."""
    check_range(window)
    async with ctx.db.sessionmaker() as session:
        await events_service.get_event(session, event_id)
    columns = [getattr(PlaybackSession, attribute) for _, attribute in CSV_COLUMNS]
    query = (
        select(*columns)
        .where(PlaybackSession.event_id == event_id, *window.session_filter())
        .order_by(PlaybackSession.start_time, PlaybackSession.session_id)
    )

    async def batches() -> AsyncIterator[Sequence[Sequence[object]]]:
        async with ctx.db.engine.connect() as connection:
            result = await connection.stream(query.execution_options(yield_per=CSV_BATCH))
            async for batch in result.partitions(CSV_BATCH):
                yield batch

    return f"sessions-{event_id}.csv", stream_csv([wire for wire, _ in CSV_COLUMNS], batches())
