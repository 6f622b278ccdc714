"""Batched telemetry writes: accepted events wait in memory and a background task writes them.

Every `telemetry_flush_seconds` (or sooner, once `telemetry_flush_events` wait) one transaction inserts
the raw events, updates each touched session's rollup and adds the new watch time to its viewer, so the
database sees about one transaction per second however many players report.

Loss window: events are acknowledged (202) once buffered. A clean stop (SIGTERM, Ctrl-C, lifespan end)
flushes them; a crash (SIGKILL, power loss) loses what was buffered, normally at most the last
`telemetry_flush_seconds` of telemetry (about one heartbeat per player), and at most
`telemetry_buffer_max_events` events if the database had been unreachable. Sessions survive either way:
they are written when opened, so a crash costs only the newest counters.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from golive.engagement.analytics import repository
from golive.engagement.analytics.access_checks import AccessChecks
from golive.engagement.analytics.models import EndReason
from golive.engagement.analytics.repository import SessionInfo
from golive.engagement.analytics.schemas import (
    EndEvent,
    ErrorEvent,
    HeartbeatEvent,
    RebufferEndEvent,
    RebufferStartEvent,
    RenditionSwitchEvent,
    StartEvent,
    TelemetryEvent,
)
from golive.platform.db import Database, utcnow
from golive.platform.errors import ServiceUnavailable
from golive.platform.realtime import Realtime
from golive.platform.settings import Settings

log = logging.getLogger("golive.engagement.analytics")

SESSION_CACHE_SIZE = 100_000
SESSION_RECHECK_SECONDS = 60.0  # a cached session is re-read this often, to see closes by the job or others
MAX_FLUSH_ATTEMPTS = 5  # a batch the database keeps refusing is dropped (logged) rather than retried forever


def live_stats_channel(event_id: str) -> str:
    return f"live-stats:{event_id}"


# Sessions ended on one instance, heard by every other one (through Redis when several run).
CLOSED_SESSIONS_CHANNEL = "telemetry:closed-sessions"


def live_stats_message(event_id: str, viewers: int) -> str:
    return json.dumps(
        {"eventId": event_id, "concurrentViewers": viewers, "at": utcnow().isoformat().replace("+00:00", "Z")}
    )


@dataclass
class SessionRollup:
    """What one flush adds to one session's counters; merging keeps later values over earlier ones."""

    event_id: str
    played: float = 0.0
    last_position: float | None = None
    max_position: float | None = None
    last_seen: datetime | None = None
    rebuffer_count: int = 0
    rebuffer_ms: int = 0
    error_count: int = 0
    fatal: bool = False
    switches: int = 0
    startup_ms: int | None = None
    rendition: str | None = None
    bitrate_kbps: int | None = None
    end_time: datetime | None = None
    end_reason: EndReason | None = None

    def add(self, event: TelemetryEvent, received_at: datetime) -> None:
        self.played = max(self.played, event.played)
        self.last_position = event.position
        self.max_position = event.position if self.max_position is None else max(self.max_position, event.position)
        self.last_seen = received_at
        if isinstance(event, StartEvent) and self.startup_ms is None:
            self.startup_ms = event.startup_ms
        if isinstance(event, StartEvent | HeartbeatEvent | RenditionSwitchEvent):
            self.rendition = event.rendition or self.rendition
            self.bitrate_kbps = event.bitrate_kbps if event.bitrate_kbps is not None else self.bitrate_kbps
        if isinstance(event, RebufferStartEvent):
            self.rebuffer_count += 1
        elif isinstance(event, RebufferEndEvent):
            self.rebuffer_ms += event.duration_ms
        elif isinstance(event, RenditionSwitchEvent):
            self.switches += 1
        elif isinstance(event, ErrorEvent):
            self.error_count += 1
            self.fatal = self.fatal or event.fatal
        elif isinstance(event, EndEvent) and self.end_time is None:
            self.end_time = received_at
            self.end_reason = EndReason(event.reason)

    def merge(self, later: SessionRollup) -> SessionRollup:
        """This (older, from a failed flush) followed by `later`."""
        positions = [p for p in (self.max_position, later.max_position) if p is not None]
        return SessionRollup(
            event_id=self.event_id,
            played=max(self.played, later.played),
            last_position=later.last_position if later.last_position is not None else self.last_position,
            max_position=max(positions) if positions else None,
            last_seen=later.last_seen or self.last_seen,
            rebuffer_count=self.rebuffer_count + later.rebuffer_count,
            rebuffer_ms=self.rebuffer_ms + later.rebuffer_ms,
            error_count=self.error_count + later.error_count,
            fatal=self.fatal or later.fatal,
            switches=self.switches + later.switches,
            startup_ms=self.startup_ms if self.startup_ms is not None else later.startup_ms,
            rendition=later.rendition or self.rendition,
            bitrate_kbps=later.bitrate_kbps if later.bitrate_kbps is not None else self.bitrate_kbps,
            end_time=self.end_time or later.end_time,
            end_reason=self.end_reason or later.end_reason,
        )

    def update_params(self, session_id: str) -> dict[str, Any]:
        return {
            "b_session_id": session_id,
            "b_duration": int(self.played),
            "b_max_position": self.max_position,
            "b_last_position": self.last_position,
            "b_last_seen": self.last_seen,
            "b_rebuffer_count": self.rebuffer_count,
            "b_rebuffer_ms": self.rebuffer_ms,
            "b_error_count": self.error_count,
            "b_fatal": self.fatal,
            "b_switches": self.switches,
            "b_startup_ms": self.startup_ms,
            "b_rendition": self.rendition,
            "b_bitrate_kbps": self.bitrate_kbps,
            "b_end_time": self.end_time,
            "b_end_reason": self.end_reason.value if self.end_reason else None,
            "b_finished": self.end_reason == EndReason.COMPLETED,
        }


def event_row(info: SessionInfo, event: TelemetryEvent, received_at: datetime) -> dict[str, Any]:
    row: dict[str, Any] = {
        "session_id": info.session_id,
        "event_id": info.event_id,
        "event_type": event.type,
        "received_at": received_at,
        "position": event.position,
        "played": event.played,
        "rendition": None,
        "bitrate_kbps": None,
        "buffer_seconds": None,
        "duration_ms": None,
        "error_code": None,
        "error_message": None,
        "fatal": None,
    }
    if isinstance(event, StartEvent):
        row.update(duration_ms=event.startup_ms, rendition=event.rendition, bitrate_kbps=event.bitrate_kbps)
    elif isinstance(event, HeartbeatEvent):
        row.update(rendition=event.rendition, bitrate_kbps=event.bitrate_kbps, buffer_seconds=event.buffer_seconds)
    elif isinstance(event, RenditionSwitchEvent):
        row.update(rendition=event.rendition, bitrate_kbps=event.bitrate_kbps)
    elif isinstance(event, RebufferEndEvent):
        row.update(duration_ms=event.duration_ms)
    elif isinstance(event, ErrorEvent):
        row.update(error_code=event.code, error_message=event.message, fatal=event.fatal)
    return row


class SessionDirectory:
    """Open sessions this process has seen, so validating a heartbeat needs no database read."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._entries: OrderedDict[str, tuple[float, SessionInfo]] = OrderedDict()
        # Ended elsewhere before this process had them cached: the database may not say so yet.
        self._closed_elsewhere: OrderedDict[str, None] = OrderedDict()

    async def get(self, session_id: str) -> SessionInfo | None:
        entry = self._entries.get(session_id)
        if entry is not None and time.monotonic() - entry[0] < SESSION_RECHECK_SECONDS:
            self._entries.move_to_end(session_id)
            return entry[1]
        async with self._db.engine.connect() as connection:
            info = await repository.find_session(connection, session_id)
        if info is None:
            self._entries.pop(session_id, None)
            return None
        if entry is not None and entry[1].closed:
            info = entry[1]  # closed here before the flush wrote it
        elif session_id in self._closed_elsewhere:
            info = replace(info, closed=True)
        self.remember(info)
        return info

    def remember(self, info: SessionInfo) -> None:
        self._entries[info.session_id] = (time.monotonic(), info)
        self._entries.move_to_end(info.session_id)
        while len(self._entries) > SESSION_CACHE_SIZE:
            self._entries.popitem(last=False)

    def mark_closed(self, info: SessionInfo) -> None:
        self.remember(replace(info, closed=True))

    def closed_elsewhere(self, session_id: str) -> None:
        """Closed by the database, not by its own `end`: a cached entry must stop accepting events."""
        entry = self._entries.get(session_id)
        if entry is not None:
            self.mark_closed(entry[1])
            return
        self._closed_elsewhere[session_id] = None
        while len(self._closed_elsewhere) > SESSION_CACHE_SIZE:
            self._closed_elsewhere.popitem(last=False)


@dataclass
class _Pending:
    rows: list[dict[str, Any]] = field(default_factory=list)
    rollups: dict[str, SessionRollup] = field(default_factory=dict)
    here: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    gone: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    failures: int = 0


class TelemetryIngest:
    """The buffer, its flusher task, and the live counters it keeps up to date on every flush."""

    def __init__(self, settings: Settings, db: Database, realtime: Realtime) -> None:
        self._settings = settings
        self._db = db
        self._realtime = realtime
        self.sessions = SessionDirectory(db)
        self.access = AccessChecks(db, settings.playback_access_recheck_seconds)
        self._pending = _Pending()
        self._wake = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._published: dict[str, int] = {}

    def start(self) -> None:
        self.access.listen()
        self._task = asyncio.create_task(self._run(), name="golive-telemetry-flusher")
        self._listener = asyncio.create_task(self._hear_closed_sessions(), name="golive-telemetry-closed-sessions")

    async def stop(self) -> None:
        """Stops the flusher and writes what is still buffered (a clean shutdown loses nothing)."""
        self.access.unlisten()
        for task in (self._task, self._listener):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._listener = None
        await self.flush()

    def accept(self, info: SessionInfo, events: list[TelemetryEvent]) -> None:
        """Buffers validated events of one session (no await: a batch is buffered whole or not at all)."""
        pending = self._pending
        if len(pending.rows) + len(events) > self._settings.telemetry_buffer_max_events:
            raise ServiceUnavailable(
                "Telemetry is arriving faster than it can be stored; retry shortly", code="telemetry_backlog"
            )
        received_at = utcnow()
        rollup = pending.rollups.get(info.session_id)
        if rollup is None:
            rollup = pending.rollups[info.session_id] = SessionRollup(event_id=info.event_id)
        for event in events:
            pending.rows.append(event_row(info, event, received_at))
            rollup.add(event, received_at)
        if rollup.end_time is not None:
            self.sessions.mark_closed(info)
            pending.gone[info.event_id].add(info.session_id)
            pending.here[info.event_id].discard(info.session_id)
        else:
            pending.here[info.event_id].add(info.session_id)
        if len(pending.rows) >= self._settings.telemetry_flush_events:
            self._wake.set()

    def session_opened(self, info: SessionInfo) -> None:
        """A new session counts as watching at once, before its first heartbeat."""
        self.sessions.remember(info)
        self._pending.here[info.event_id].add(info.session_id)

    def sessions_closed(self, closed: list[tuple[str, str]]) -> None:
        """(session_id, event_id) ended without their player's `end` (replaced by newer ones): no longer
        watching, and no more events accepted for them here."""
        for session_id, event_id in closed:
            self.sessions.closed_elsewhere(session_id)
            self._pending.here[event_id].discard(session_id)
            self._pending.gone[event_id].add(session_id)

    async def announce_closed(self, session_ids: list[str]) -> None:
        """Tells every instance that these sessions ended, before the ending request is answered: their
        cached sessions stop taking events at once, not when the flush and the cache's recheck catch up."""
        try:
            for session_id in session_ids:
                await self._realtime.broker.publish(CLOSED_SESSIONS_CHANNEL, session_id)
        except Exception:  # Redis away: the events are stored; the others see the close at their recheck
            log.warning("could not announce ended playback sessions %s", session_ids, exc_info=True)

    async def _hear_closed_sessions(self) -> None:
        while True:
            try:
                async with self._realtime.broker.subscribe(CLOSED_SESSIONS_CHANNEL) as messages:
                    while True:
                        self.sessions.closed_elsewhere(await messages.get())
            except Exception:  # Redis away: keep trying; the cache's recheck still sees closes meanwhile
                log.exception("listening for ended playback sessions failed; retrying")
                await asyncio.sleep(1.0)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._settings.telemetry_flush_seconds)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:  # keep the loop alive; the batch is back in the buffer
                log.exception("telemetry flush failed; retrying")

    async def flush(self) -> None:
        async with self._flush_lock:
            batch, self._pending = self._pending, _Pending()
            await self._update_live_counts(batch)
            if not batch.rollups:
                return
            try:
                await self._write(batch)
            except BaseException:
                self._restore(batch)
                raise

    async def _write(self, batch: _Pending) -> None:
        async with self._db.engine.begin() as connection:
            stored = await repository.lock_sessions(connection, list(batch.rollups))
            # a session deleted meanwhile (its event or viewer was) takes its events with it
            await repository.insert_events(connection, [r for r in batch.rows if r["session_id"] in stored])
            await repository.apply_rollups(
                connection, [rollup.update_params(sid) for sid, rollup in batch.rollups.items() if sid in stored]
            )
            added: dict[str, int] = defaultdict(int)
            for session_id, (viewer_id, duration) in stored.items():
                added[viewer_id] += max(0, int(batch.rollups[session_id].played) - duration)
            await repository.add_watch_time(connection, added)

    def _restore(self, failed: _Pending) -> None:
        """Puts a failed batch back in front of what arrived since, to be written by the next flush."""
        newer = self._pending
        if failed.failures + 1 >= MAX_FLUSH_ATTEMPTS:
            log.error("dropping %d telemetry events after %d failed writes", len(failed.rows), MAX_FLUSH_ATTEMPTS)
            return
        rollups = dict(failed.rollups)
        for session_id, rollup in newer.rollups.items():
            older = rollups.get(session_id)
            rollups[session_id] = older.merge(rollup) if older is not None else rollup
        self._pending = _Pending(
            rows=failed.rows + newer.rows,
            rollups=rollups,
            here=newer.here,
            gone=newer.gone,
            failures=failed.failures + 1,
        )

    async def _update_live_counts(self, batch: _Pending) -> None:
        """Presence first, then a message on each event's channel whose count changed (or may have
        expired), so admin pages and players on every instance see it."""
        presence = self._realtime.presence
        try:
            for event_id, sessions in batch.here.items():
                await presence.touch(event_id, sessions)
            for event_id, sessions in batch.gone.items():
                await presence.leave(event_id, sessions)
            for event_id in {*batch.here, *batch.gone, *self._published}:
                viewers = await presence.count(event_id)
                if viewers != self._published.get(event_id):
                    await self._realtime.broker.publish(
                        live_stats_channel(event_id), live_stats_message(event_id, viewers)
                    )
                if viewers:
                    self._published[event_id] = viewers
                else:
                    self._published.pop(event_id, None)
        except Exception as exc:  # counters are best effort; the telemetry itself must still be written
            log.warning("live viewer counters not updated: %s", exc)
