"""The SQL of telemetry ingestion: opening and looking up sessions, the batched writes of a flush,
closing silent sessions. Every write of a flush is an executemany inside one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Float, Integer, String, bindparam, case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from golive.access.models import Viewer
from golive.engagement.analytics.models import EndReason, PlaybackEvent, PlaybackSession
from golive.events.models import EventType


@dataclass(frozen=True)
class SessionInfo:
    """What validating an event needs, cached per process so a heartbeat costs no read."""

    session_id: str
    event_id: str
    viewer_id: str
    playback_type: EventType
    media_duration: float | None
    start_time: datetime
    closed: bool


async def find_session(connection: AsyncConnection, session_id: str) -> SessionInfo | None:
    row = (
        await connection.execute(
            select(
                PlaybackSession.event_id,
                PlaybackSession.viewer_id,
                PlaybackSession.playback_type,
                PlaybackSession.media_duration,
                PlaybackSession.start_time,
                PlaybackSession.end_time,
            ).where(PlaybackSession.session_id == session_id)
        )
    ).first()
    if row is None:
        return None
    return SessionInfo(
        session_id=session_id,
        event_id=row.event_id,
        viewer_id=row.viewer_id,
        playback_type=row.playback_type,
        media_duration=row.media_duration,
        start_time=row.start_time,
        closed=row.end_time is not None,
    )


async def insert_session(connection: AsyncConnection, values: dict[str, Any]) -> None:
    await connection.execute(insert(PlaybackSession), values)


async def count_viewer_session(connection: AsyncConnection, viewer_id: str) -> None:
    """Viewers.totalSessions, incremented as each session opens (seed 000 section 6, step 3)."""
    await connection.execute(
        update(Viewer).where(Viewer.viewer_id == viewer_id).values(total_sessions=Viewer.total_sessions + 1)
    )


async def close_oldest_open_sessions(connection: AsyncConnection, viewer_id: str, keep: int) -> list[tuple[str, str]]:
    """Ends the viewer's open sessions beyond the newest `keep`, at their last sign of life, as replaced.
    Returns (session_id, event_id) of each one closed. Run after count_viewer_session in the same
    transaction: that UPDATE locks the viewer's row, so concurrent opens by one viewer take turns here."""
    newest = (
        select(PlaybackSession.session_id)
        .where(PlaybackSession.viewer_id == viewer_id, PlaybackSession.end_time.is_(None))
        .order_by(PlaybackSession.session_id.desc())
        .limit(keep)
    )
    result = await connection.execute(
        update(PlaybackSession)
        .where(
            PlaybackSession.viewer_id == viewer_id,
            PlaybackSession.end_time.is_(None),
            PlaybackSession.session_id.not_in(newest),
        )
        .values(end_time=PlaybackSession.last_heartbeat_at, end_reason=EndReason.REPLACED)
        .returning(PlaybackSession.session_id, PlaybackSession.event_id)
    )
    return [(row.session_id, row.event_id) for row in result]


async def lock_sessions(connection: AsyncConnection, session_ids: list[str]) -> dict[str, tuple[str, int]]:
    """viewer_id and stored duration of each existing session, locked (PostgreSQL) in a fixed order so two
    instances flushing the same sessions queue up instead of deadlocking or double-counting watch time."""
    rows = await connection.execute(
        select(PlaybackSession.session_id, PlaybackSession.viewer_id, PlaybackSession.duration)
        .where(PlaybackSession.session_id.in_(sorted(session_ids)))
        .order_by(PlaybackSession.session_id)
        .with_for_update()
    )
    return {row.session_id: (row.viewer_id, row.duration) for row in rows}


EVENT_COLUMNS = [column.name for column in PlaybackEvent.__table__.columns if column.name != "id"]


async def insert_events(connection: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL gets the rows by COPY (several times less CPU than an INSERT per row); SQLite by executemany."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        await connection.execute(insert(PlaybackEvent), rows)
        return
    raw = await connection.get_raw_connection()
    records = [tuple(row[name] for name in EVENT_COLUMNS) for row in rows]
    await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
        PlaybackEvent.__tablename__, records=records, columns=EVENT_COLUMNS
    )


def _larger(column: Any, name: str, type_: Any) -> Any:
    """The larger of the stored value and a parameter; a NULL parameter keeps the stored value."""
    value = bindparam(name, type_=type_)
    return case((value.is_not(None) & (column.is_(None) | (value > column)), value), else_=column)


_ROLLUP_UPDATE = (
    update(PlaybackSession)
    .where(PlaybackSession.session_id == bindparam("b_session_id", type_=String))
    .values(
        duration=_larger(PlaybackSession.duration, "b_duration", Integer()),
        max_position=_larger(PlaybackSession.max_position, "b_max_position", Float()),
        last_position=func.coalesce(bindparam("b_last_position", type_=Float), PlaybackSession.last_position),
        last_heartbeat_at=bindparam("b_last_seen", type_=DateTime(timezone=True)),
        rebuffer_count=PlaybackSession.rebuffer_count + bindparam("b_rebuffer_count", type_=Integer),
        rebuffer_ms=PlaybackSession.rebuffer_ms + bindparam("b_rebuffer_ms", type_=Integer),
        error_count=PlaybackSession.error_count + bindparam("b_error_count", type_=Integer),
        fatal_error=or_(PlaybackSession.fatal_error, bindparam("b_fatal", type_=Boolean)),
        rendition_switches=PlaybackSession.rendition_switches + bindparam("b_switches", type_=Integer),
        startup_ms=func.coalesce(PlaybackSession.startup_ms, bindparam("b_startup_ms", type_=Integer)),
        rendition=func.coalesce(bindparam("b_rendition", type_=String), PlaybackSession.rendition),
        bitrate_kbps=func.coalesce(bindparam("b_bitrate_kbps", type_=Integer), PlaybackSession.bitrate_kbps),
        end_time=func.coalesce(PlaybackSession.end_time, bindparam("b_end_time", type_=DateTime(timezone=True))),
        end_reason=func.coalesce(PlaybackSession.end_reason, bindparam("b_end_reason", type_=String)),
        finished=or_(PlaybackSession.finished, bindparam("b_finished", type_=Boolean)),
    )
)


async def apply_rollups(connection: AsyncConnection, params: list[dict[str, Any]]) -> None:
    """params: one dict per session with the b_* keys of _ROLLUP_UPDATE."""
    if params:
        await connection.execute(_ROLLUP_UPDATE, params)


async def add_watch_time(connection: AsyncConnection, seconds_by_viewer: dict[str, int]) -> None:
    """Viewers.totalWatchTime, incremented by what each flush added to the viewer's sessions."""
    params = [{"b_viewer_id": v, "b_seconds": s} for v, s in sorted(seconds_by_viewer.items()) if s > 0]
    if params:
        await connection.execute(
            update(Viewer)
            .where(Viewer.viewer_id == bindparam("b_viewer_id", type_=String))
            .values(total_watch_time=Viewer.total_watch_time + bindparam("b_seconds", type_=Integer)),
            params,
        )


async def close_silent_sessions(connection: AsyncConnection, silent_since: datetime) -> int:
    """Ends every open session whose last heartbeat (set to the start on open) is older than silent_since, at that last
    sign of life; the duration stays the last one reported. Returns how many were closed."""
    result = await connection.execute(
        update(PlaybackSession)
        .where(PlaybackSession.end_time.is_(None), PlaybackSession.last_heartbeat_at < silent_since)
        .values(end_time=PlaybackSession.last_heartbeat_at, end_reason=EndReason.TIMEOUT)
    )
    return int(result.rowcount)
