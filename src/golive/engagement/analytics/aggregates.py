"""The dashboard figures, computed in SQL from per-session rollups, never from the raw event log.

Every figure is built from mergeable parts (sums, a startup-time histogram, viewer ids, +1/-1 concurrency
deltas per minute). The retention job stores exactly these parts per event and day before deleting old
sessions, and a dashboard adds the stored parts to the same parts computed from the sessions still kept,
so its figures are identical before and after a roll-up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import BigInteger, Integer, and_, case, cast, delete, func, literal, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ColumnElement

from golive.engagement.analytics.models import (
    AnalyticsDaily,
    AnalyticsDailyBreakdown,
    AnalyticsDailyViewer,
    ConcurrencyDelta,
    EndReason,
    PlaybackSession,
)
from golive.events.models import EventType

S = PlaybackSession
DIMENSIONS: dict[str, Any] = {
    "deviceType": S.device_type,
    "browser": S.browser,
    "os": S.os,
    "country": S.country,
    "rendition": S.rendition,
}
STARTUP_DIMENSION = "startupBucket"
UNKNOWN = "unknown"
MAX_TIMELINE_POINTS = 1440


# --- dialect-specific expressions ---------------------------------------------------------------


def utc_day(dialect: str, column: Any) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)  # SQLite keeps UTC text


def epoch_minute(dialect: str, column: Any) -> ColumnElement[int]:
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column) / 60), BigInteger)
    return cast(func.strftime("%s", column), Integer) // 60


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# the startup-time histogram: 10 ms buckets below 10 s, 100 ms buckets below 60 s, then one bucket
STARTUP_BUCKET = case(
    (S.startup_ms < 10_000, (S.startup_ms // 10) * 10),
    (S.startup_ms < 60_000, (S.startup_ms // 100) * 100),
    else_=60_000,
)
PERCENT_WATCHED = case(
    (S.duration >= S.media_duration, literal(100.0)),
    else_=S.duration * 100.0 / S.media_duration,
)
IS_VOD = and_(S.playback_type == EventType.VOD, S.media_duration > 0)


# --- the mergeable parts --------------------------------------------------------------------------


@dataclass
class Totals:
    sessions: int = 0
    watch_seconds: int = 0
    vod_sessions: int = 0
    percent_watched_sum: float = 0.0
    finishes: int = 0
    rebuffer_ms: int = 0
    failed_sessions: int = 0

    def add(self, other: Totals) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Parts:
    totals: Totals = field(default_factory=Totals)
    # dimension -> key -> [sessions, watch seconds]; the startup histogram is dimension startupBucket
    breakdowns: dict[str, dict[str, list[int]]] = field(default_factory=lambda: defaultdict(dict))
    deltas: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def count(self, dimension: str, key: str, sessions: int, watch_seconds: int) -> None:
        cell = self.breakdowns[dimension].setdefault(key, [0, 0])
        cell[0] += sessions
        cell[1] += watch_seconds


def _totals_columns() -> list[Any]:
    return [
        func.count().label("sessions"),
        func.coalesce(func.sum(S.duration), 0).label("watch_seconds"),
        func.coalesce(func.sum(case((IS_VOD, 1), else_=0)), 0).label("vod_sessions"),
        func.coalesce(func.sum(case((IS_VOD, PERCENT_WATCHED), else_=0.0)), 0.0).label("percent_watched_sum"),
        func.coalesce(func.sum(case((S.finished, 1), else_=0)), 0).label("finishes"),
        func.coalesce(func.sum(S.rebuffer_ms), 0).label("rebuffer_ms"),
        func.coalesce(func.sum(case((S.fatal_error, 1), else_=0)), 0).label("failed_sessions"),
    ]


def _totals_of(row: Any) -> Totals:
    return Totals(
        sessions=int(row.sessions),
        watch_seconds=int(row.watch_seconds),
        vod_sessions=int(row.vod_sessions),
        percent_watched_sum=float(row.percent_watched_sum),
        finishes=int(row.finishes),
        rebuffer_ms=int(row.rebuffer_ms),
        failed_sessions=int(row.failed_sessions),
    )


async def session_parts(
    connection: AsyncConnection, where: Sequence[ColumnElement[bool]], group: Sequence[Any]
) -> dict[tuple[Any, ...], Parts]:
    """The parts of the stored sessions matching `where`, per value of `group` (() for one group).

    Concurrency deltas are left out: the timeline needs sessions that started before a range too.
    """
    parts: dict[tuple[Any, ...], Parts] = defaultdict(Parts)
    width = len(group)
    for row in await connection.execute(select(*group, *_totals_columns()).where(*where).group_by(*group)):
        parts[tuple(row[:width])].totals = _totals_of(row)
    dims = list(DIMENSIONS.values())
    rows = await connection.execute(
        select(*group, *dims, func.count(), func.coalesce(func.sum(S.duration), 0))
        .where(*where)
        .group_by(*group, *dims)
    )
    for row in rows:
        target = parts[tuple(row[:width])]
        values, sessions, watch = row[width : width + len(dims)], int(row[-2]), int(row[-1])
        for dimension, value in zip(DIMENSIONS, values, strict=True):
            target.count(dimension, value or UNKNOWN, sessions, watch)
    rows = await connection.execute(
        select(*group, STARTUP_BUCKET, func.count())
        .where(*where, S.startup_ms.is_not(None))
        .group_by(*group, STARTUP_BUCKET)
    )
    for row in rows:
        parts[tuple(row[:width])].count(STARTUP_DIMENSION, str(row[width]), int(row[-1]), 0)
    return parts


async def session_deltas(
    connection: AsyncConnection, where: Sequence[ColumnElement[bool]], group: Sequence[Any]
) -> dict[tuple[Any, ...], dict[int, int]]:
    """+1 at each session's first minute, -1 at the minute after its last sign of life, per group."""
    dialect = connection.dialect.name
    last_seen = func.coalesce(S.end_time, S.last_heartbeat_at, S.start_time)
    starts = epoch_minute(dialect, S.start_time)
    # a session counts in every minute it touched, except a superseded one (a reload, the same viewer's
    # newer session): it stops in the minute it was superseded, so one viewer is never two at once
    ends = case(
        (S.end_reason == EndReason.REPLACED, epoch_minute(dialect, last_seen)),
        else_=epoch_minute(dialect, last_seen) + 1,
    )
    deltas: dict[tuple[Any, ...], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    width = len(group)
    for minute, sign in ((starts, 1), (ends, -1)):
        rows = await connection.execute(select(*group, minute, func.count()).where(*where).group_by(*group, minute))
        for row in rows:
            deltas[tuple(row[:width])][int(row[width])] += sign * int(row[-1])
    return deltas


# --- one event's dashboard -------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeRange:
    start: datetime | None = None
    end: datetime | None = None
    # the event's own span: a rolled-up day it touches counts whole (the span holds every play of it)
    whole_days: bool = False

    def session_filter(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.start is not None:
            clauses.append(S.start_time >= self.start)
        if self.end is not None:
            clauses.append(S.start_time < self.end)
        return clauses

    def day_filter(self, column: Any) -> list[ColumnElement[bool]]:
        """Rolled-up days count when their first instant lies in the range (they are indivisible)."""
        clauses: list[ColumnElement[bool]] = []
        if self.start is not None:
            inside = _is_midnight(self.start) or self.whole_days
            clauses.append(column >= (self.start.date() if inside else self.start.date() + timedelta(days=1)))
        if self.end is not None:
            last = self.end.date() - timedelta(days=1) if _is_midnight(self.end) else self.end.date()
            clauses.append(column <= last)
        return clauses


def _is_midnight(moment: datetime) -> bool:
    return moment.astimezone(UTC).time() == time(0)


async def event_parts(connection: AsyncConnection, event_id: str, window: TimeRange) -> Parts:
    """Stored daily parts plus the parts of the sessions still kept."""
    parts = (await session_parts(connection, [S.event_id == event_id, *window.session_filter()], [])).get((), Parts())
    daily_where = [AnalyticsDaily.event_id == event_id, *window.day_filter(AnalyticsDaily.day)]
    names = list(Totals.__dataclass_fields__)
    stored = (
        await connection.execute(
            select(*(func.coalesce(func.sum(getattr(AnalyticsDaily, name)), 0).label(name) for name in names)).where(
                *daily_where
            )
        )
    ).one()
    parts.totals.add(_totals_of(stored))
    B = AnalyticsDailyBreakdown
    rows = await connection.execute(
        select(B.dimension, B.key, func.sum(B.sessions), func.sum(B.watch_seconds))
        .where(B.event_id == event_id, *window.day_filter(B.day))
        .group_by(B.dimension, B.key)
    )
    for dimension, key, sessions, watch in rows:
        parts.count(dimension, key, int(sessions), int(watch))
    return parts


async def unique_viewers(connection: AsyncConnection, event_ids: list[str] | None, window: TimeRange) -> dict[str, int]:
    """Distinct viewers per event, over kept sessions and the viewer ids of rolled-up days."""
    V = AnalyticsDailyViewer
    kept = select(S.event_id, S.viewer_id).where(*window.session_filter())
    rolled = select(V.event_id, V.viewer_id).where(*window.day_filter(V.day))
    if event_ids is not None:
        kept = kept.where(S.event_id.in_(event_ids))
        rolled = rolled.where(V.event_id.in_(event_ids))
    both = union(kept, rolled).subquery()
    rows = await connection.execute(select(both.c.event_id, func.count()).group_by(both.c.event_id))
    return {event_id: int(count) for event_id, count in rows}


async def event_deltas(connection: AsyncConnection, event_id: str, window: TimeRange) -> dict[int, int]:
    """Every concurrency delta of the event up to the range's end (earlier ones set its starting level)."""
    where: list[ColumnElement[bool]] = [S.event_id == event_id]
    stored = select(ConcurrencyDelta.minute, ConcurrencyDelta.delta).where(ConcurrencyDelta.event_id == event_id)
    if window.end is not None:
        where.append(S.start_time < window.end)
        stored = stored.where(ConcurrencyDelta.minute < _minute_of(window.end) + 1)
    deltas = (await session_deltas(connection, where, [])).get((), defaultdict(int))
    for minute, delta in await connection.execute(stored):
        deltas[int(minute)] += int(delta)
    return deltas


def _minute_of(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


@dataclass(frozen=True)
class Timeline:
    step_minutes: int
    points: list[tuple[datetime, int]]
    # the first minute the highest level was reached (not the start of its step on a wide timeline)
    peak_minute: int | None = None

    @property
    def peak(self) -> tuple[int, datetime | None]:
        viewers = max((count for _, count in self.points), default=0)
        if not viewers or self.peak_minute is None:
            return viewers, None
        return viewers, datetime.fromtimestamp(self.peak_minute * 60, UTC)


def concurrency_timeline(deltas: dict[int, int], window: TimeRange) -> Timeline:
    """The running sum of the deltas per minute over the range (or the data's extent), at most
    MAX_TIMELINE_POINTS points: a longer range widens the step and each point is its step's peak."""
    changes = sorted(m for m, d in deltas.items() if d)
    if window.start is not None:
        first = _minute_of(window.start)
    elif changes:
        first = changes[0]
    else:
        return Timeline(1, [])
    if window.end is not None:
        last = math.ceil(window.end.timestamp() / 60)  # exclusive
    elif changes:
        last = changes[-1]
    else:
        return Timeline(1, [])
    span = max(0, last - first)
    step = max(1, math.ceil(span / MAX_TIMELINE_POINTS))
    level = sum(deltas[m] for m in changes if m < first)
    pending = [m for m in changes if m >= first]
    index = 0
    points: list[tuple[datetime, int]] = []
    best, best_minute = 0, None
    for bucket_start in range(first, last, step):
        bucket_end = bucket_start + step
        while index < len(pending) and pending[index] <= bucket_start:
            level += deltas[pending[index]]
            index += 1
        peak = level
        if level > best:
            best, best_minute = level, bucket_start
        while index < len(pending) and pending[index] < bucket_end:
            level += deltas[pending[index]]
            peak = max(peak, level)
            if level > best:
                best, best_minute = level, pending[index]
            index += 1
        points.append((datetime.fromtimestamp(bucket_start * 60, UTC), peak))
    return Timeline(step, points, best_minute)


def percentile(histogram: dict[str, list[int]], fraction: float) -> int | None:
    """Nearest-rank percentile of the startup histogram (exact to its 10 ms buckets below 10 s)."""
    counts = sorted((int(bucket), cell[0]) for bucket, cell in histogram.items())
    total = sum(count for _, count in counts)
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for bucket, count in counts:
        seen += count
        if seen >= rank:
            return bucket
    return counts[-1][0]


# --- retention: rolling old sessions into the daily parts ---------------------------------------


ROLLUP_BATCH_SESSIONS = 1000


def _upsert(dialect: str, table: Any, rows: list[dict[str, Any]], keys: list[str], add: list[str]) -> Any:
    """INSERT ... ON CONFLICT that adds to the stored counters (or keeps the row when add is empty)."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(rows)
    if not add:
        return statement.on_conflict_do_nothing(index_elements=keys)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={name: table.c[name] + statement.excluded[name] for name in add}
    )


async def roll_up_sessions(connection: AsyncConnection, session_ids: list[str]) -> None:
    """Adds the parts of these sessions to the daily tables, then deletes them (their raw events go
    with them, ON DELETE CASCADE). One transaction: a crash leaves both or neither."""
    dialect = connection.dialect.name
    day = utc_day(dialect, S.start_time)
    where = [S.session_id.in_(session_ids)]
    group = [S.event_id, day]
    parts = await session_parts(connection, where, group)

    daily = [
        {"event_id": event_id, "day": as_date(day_value), **part.totals.__dict__}
        for (event_id, day_value), part in parts.items()
    ]
    breakdowns = [
        {
            "event_id": event_id,
            "day": as_date(day_value),
            "dimension": dimension,
            "key": key,
            "sessions": cell[0],
            "watch_seconds": cell[1],
        }
        for (event_id, day_value), part in parts.items()
        for dimension, cells in part.breakdowns.items()
        for key, cell in cells.items()
    ]
    viewer_rows = [
        {"event_id": event_id, "day": as_date(day_value), "viewer_id": viewer_id}
        for event_id, day_value, viewer_id in await connection.execute(
            select(S.event_id, day, S.viewer_id).where(*where).distinct()
        )
    ]
    delta_rows = [
        {"event_id": event_id, "minute": minute, "delta": delta}
        for (event_id,), deltas in (await session_deltas(connection, where, [S.event_id])).items()
        for minute, delta in deltas.items()
        if delta
    ]
    total_names = list(Totals.__dataclass_fields__)
    for table, rows, keys, add in (
        (AnalyticsDaily.__table__, daily, ["event_id", "day"], total_names),
        (
            AnalyticsDailyBreakdown.__table__,
            breakdowns,
            ["event_id", "day", "dimension", "key"],
            ["sessions", "watch_seconds"],
        ),
        (AnalyticsDailyViewer.__table__, viewer_rows, ["event_id", "day", "viewer_id"], []),
        (ConcurrencyDelta.__table__, delta_rows, ["event_id", "minute"], ["delta"]),
    ):
        for start in range(0, len(rows), 500):
            await connection.execute(_upsert(dialect, table, rows[start : start + 500], keys, add))
    await connection.execute(delete(S).where(*where))


async def expired_session_ids(connection: AsyncConnection, cutoff: datetime) -> list[str]:
    rows = await connection.execute(
        select(S.session_id)
        .where(S.start_time < cutoff, S.end_time.is_not(None))
        .order_by(S.session_id)
        .limit(ROLLUP_BATCH_SESSIONS)
        .with_for_update(skip_locked=True)  # PostgreSQL: two workers never roll up the same sessions
    )
    return list(rows.scalars())
