"""Publishing: the publish check, the publisher's lease, the broadcast's start and close, the reconnect window.

The ingest (runtime.py) calls these with its own sessions; every state change that two app instances could race
on is a conditional UPDATE: one publisher holds a key's lease, one instance expires a reconnect window."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.automation import service as automation
from golive.automation.models import ExecutionStatus, TriggerType
from golive.events import service as events_service
from golive.events.models import Event, EventStatus, EventType
from golive.live import keys
from golive.live.models import IngestState, LiveInput, RecordingStatus
from golive.live.service import OVER, REFUSAL_LOG_LIMIT, IngestRefused, PublishGrant, lease_seconds, log
from golive.platform.context import AppContext
from golive.platform.db import Database, utcnow
from golive.platform.errors import Conflict, NotFound
from golive.platform.ratelimit import network_key
from golive.platform.settings import Settings


async def authorize_publish(
    ctx: AppContext,
    key: str,
    *,
    publisher_id: str,
    remote_addr: str,
    source: str,
    relay_owner: str | None = None,
    relay_url: str | None = None,
) -> PublishGrant:
    """Checks the key before any media reaches a transcoder and takes the key's lease; else IngestRefused.

    Refused: an unknown or rotated key, a key of an ended/archived/cancelled/deleted event, and a key
    another encoder is publishing with right now. Every refusal is logged (automation log when the
    event is known, the audit trail otherwise, throttled per address).
    """
    settings = ctx.settings
    digest = keys.key_digest(key) if keys.looks_like_key(key) else None
    async with ctx.db.sessionmaker() as session:
        live_input = None
        if digest is not None:
            live_input = await session.scalar(select(LiveInput).where(LiveInput.stream_key_digest == digest))
        if live_input is None or digest is None:
            await _refuse_unknown(ctx, session, remote_addr, source)
            raise IngestRefused("invalid stream key", "invalid_key")
        live_input_id, event_id = live_input.live_input_id, live_input.event_id
        event = await session.get(Event, event_id)
        refusal: IngestRefused | None = None
        if event is None or event.deleted_at is not None:
            refusal = IngestRefused("the event was deleted", "event_deleted")
        elif event.event_type != EventType.LIVE:
            refusal = IngestRefused("not a live event", "not_a_live_event")
        elif event.status in OVER:
            refusal = IngestRefused(f"the event is {event.status.value}", "event_over")
        if refusal is None:
            assert event is not None
            now = utcnow()
            fresh = live_input.state == IngestState.IDLE and event.status != EventStatus.LIVE
            stale = now - timedelta(seconds=lease_seconds(settings))
            values: dict[str, Any] = {
                "publisher_id": publisher_id,
                "publisher_seen_at": now,
                "state": IngestState.CONNECTED,
                "remote_addr": remote_addr[:64],
                "connected_at": now,
                "reconnect_deadline": None,
                "last_media_at": None,
                "health": {},
                "updated_at": now,
                "relay_owner": relay_owner,
                "relay_url": relay_url,
            }
            if fresh:
                values["stream_ready_at"] = None
            result = await session.execute(
                update(LiveInput)
                .where(
                    LiveInput.live_input_id == live_input_id,
                    LiveInput.stream_key_digest == digest,
                    or_(LiveInput.publisher_id.is_(None), LiveInput.publisher_seen_at < stale),
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) == 1:
                automation.record(
                    session,
                    event_id=event_id,
                    trigger=TriggerType.INGEST,
                    action="ingest.connected",
                    details={"remoteAddr": remote_addr, "source": source, "resumed": not fresh},
                )
                await session.commit()
                return PublishGrant(live_input_id, event_id, digest, fresh)
            await session.rollback()
            refusal = IngestRefused("another encoder is already publishing with this key", "already_publishing")
        automation.record(
            session,
            event_id=event_id,
            trigger=TriggerType.INGEST,
            action="ingest.refused",
            status=ExecutionStatus.FAILED,
            details={"reason": refusal.reason, "code": refusal.code, "remoteAddr": remote_addr, "source": source},
        )
        await session.commit()
        log.warning("refused publish from %s (%s): %s", remote_addr, source, refusal.reason)
        raise refusal


async def _refuse_unknown(ctx: AppContext, session: AsyncSession, remote_addr: str, source: str) -> None:
    """A wrong or rotated key: no event to log it under, so the audit trail, at most so often per address."""
    log.warning("refused publish from %s (%s): invalid stream key", remote_addr, source)
    try:
        budget = [(network_key(remote_addr), REFUSAL_LOG_LIMIT)]
        await ctx.limiter.acquire("ingest-refusal", budget, 300, "too many refusals")
    except Exception:
        return  # still refused, just not written down again
    audit.record(
        session,
        actor_type="publisher",
        actor_id=None,
        action="ingest.refused",
        entity_type="live_input",
        entity_id="unknown",
        after={"reason": "invalid stream key", "source": source, "remoteAddr": remote_addr},
        ip_address=remote_addr[:45],
    )
    await session.commit()


def _held_by(relay_owner: str | None) -> Any:
    """The lease's holder: an embedded publisher has no relay owner, a relay is held by one instance."""
    return LiveInput.relay_owner.is_(None) if relay_owner is None else LiveInput.relay_owner == relay_owner


async def renew_lease(
    db: Database,
    live_input_id: str,
    publisher_id: str,
    key_digest: str,
    health: dict[str, Any],
    last_media_at: datetime | None,
    relay_owner: str | None = None,
) -> str | None:
    """The publisher is still here (and its key still valid): None, else why it must be sent away.

    A relay's lease also ends when the encoder stopped (on_publish_done reached another instance) or
    another instance took the relay over (this one was too slow to renew)."""
    async with db.sessionmaker() as session:
        now = utcnow()
        values: dict[str, Any] = {"publisher_seen_at": now, "health": health}
        if last_media_at is not None:
            values["last_media_at"] = last_media_at
        query = update(LiveInput).where(
            LiveInput.live_input_id == live_input_id,
            LiveInput.publisher_id == publisher_id,
            LiveInput.stream_key_digest == key_digest,
            _held_by(relay_owner),
        )
        if relay_owner is not None:
            query = query.where(LiveInput.relay_url.is_not(None))
        result = await session.execute(query.values(**values).execution_options(synchronize_session=False))
        await session.commit()
        if getattr(result, "rowcount", 0) == 1:
            return None
        live_input = await session.get(LiveInput, live_input_id)
        if live_input is None or live_input.stream_key_digest != key_digest:
            return "the stream key was rotated"
        if relay_owner is not None and live_input.publisher_id == publisher_id:
            if live_input.relay_owner != relay_owner:
                return RELAY_TAKEN_OVER
            if live_input.relay_url is None:
                return "the encoder stopped publishing (nginx-rtmp)"
        return "the publisher's lease was lost"


async def release_publisher(
    db: Database,
    settings: Settings,
    live_input_id: str,
    publisher_id: str,
    reason: str,
    details: dict[str, Any],
    relay_owner: str | None = None,
) -> bool:
    """The publisher left: the reconnect window opens. True when the event is over (close the broadcast)."""
    async with db.sessionmaker() as session:
        live_input = await session.get(LiveInput, live_input_id)
        if live_input is None or live_input.publisher_id != publisher_id or live_input.relay_owner != relay_owner:
            return False
        event = await session.get(Event, live_input.event_id)
        over = event is None or event.deleted_at is not None or event.status in OVER
        now = utcnow()
        window = timedelta(seconds=settings.live_reconnect_window_seconds)
        await session.execute(
            update(LiveInput)
            .where(LiveInput.live_input_id == live_input_id, LiveInput.publisher_id == publisher_id)
            .where(_held_by(relay_owner))
            .values(
                publisher_id=None,
                publisher_seen_at=None,
                relay_owner=None,
                relay_url=None,
                state=IngestState.ENDED if over else IngestState.RECONNECTING,
                disconnected_at=now,
                reconnect_deadline=None if over else now + window,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        automation.record(
            session,
            event_id=live_input.event_id,
            trigger=TriggerType.INGEST,
            action="ingest.disconnected",
            details={"reason": reason, **details},
        )
        await session.commit()
        return over


async def start_recording(db: Database, live_input_id: str, *, fresh: bool) -> None:
    async with db.sessionmaker() as session:
        values: dict[str, Any] = {"recording_status": RecordingStatus.RECORDING, "updated_at": utcnow()}
        if fresh:
            values |= {"recording_duration": None, "recording_probe": {}, "recording_error": None}
        await session.execute(
            update(LiveInput)
            .where(LiveInput.live_input_id == live_input_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        await session.commit()


async def mark_stream_ready(ctx: AppContext, live_input_id: str) -> None:
    """The first segments exist in every rendition: viewers can play, and an auto-start event goes live
    (if that fails, the supervisor's `start_ready_events` tries again on its next tick)."""
    async with ctx.db.sessionmaker() as session:
        now = utcnow()
        await session.execute(
            update(LiveInput)
            .where(LiveInput.live_input_id == live_input_id, LiveInput.stream_ready_at.is_(None))
            .values(stream_ready_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        await session.commit()
        live_input = await session.get(LiveInput, live_input_id)
        if live_input is not None:
            await _auto_start(session, live_input.event_id)


async def start_ready_events(ctx: AppContext) -> list[str]:
    """Auto-start events still scheduled although their encoder is connected and its stream is ready:
    those whose encoder connected before the start time go live when it comes."""
    async with ctx.db.sessionmaker() as session:
        due = await session.scalars(
            select(Event.event_id)
            .join(LiveInput, LiveInput.event_id == Event.event_id)
            .where(
                Event.status == EventStatus.SCHEDULED,
                Event.auto_start.is_(True),
                Event.deleted_at.is_(None),
                or_(Event.scheduled_start.is_(None), Event.scheduled_start <= utcnow()),
                LiveInput.state == IngestState.CONNECTED,
                LiveInput.stream_ready_at.is_not(None),
            )
        )
        return [event_id for event_id in list(due) if await _auto_start(session, event_id)]


async def _auto_start(session: AsyncSession, event_id: str) -> bool:
    """Auto start: live once the stream is ready, but not before the start time (an encoder connected
    early is a rehearsal only admins see)."""
    event = await session.get(Event, event_id)
    if event is None or event.status != EventStatus.SCHEDULED or not event.auto_start:
        return False
    if event.scheduled_start is not None and event.scheduled_start > utcnow():
        return False
    with contextlib.suppress(Conflict, NotFound):  # an admin moved it meanwhile
        await events_service.transition(
            session, event.event_id, EventStatus.LIVE, Actor.system("ingest"), reason="the stream started"
        )
        return True
    return False


async def expire_reconnect_windows(ctx: AppContext, now: datetime | None = None) -> list[str]:
    """Publishers that did not come back in time: their input goes idle; auto-end events end (postStop).

    Also takes over the leases of publishers whose server died (no renewal for `lease_seconds`): they
    count as disconnected from their last renewal.
    """
    settings = ctx.settings
    now = now or utcnow()
    window = timedelta(seconds=settings.live_reconnect_window_seconds)
    ended = []
    async with ctx.db.sessionmaker() as session:
        stale = now - timedelta(seconds=lease_seconds(settings))
        # a relay whose instance died is first left for another instance to take over (take_over_relays)
        unclaimed = now - timedelta(seconds=2 * lease_seconds(settings))
        lapsed = or_(
            LiveInput.publisher_seen_at.is_(None),
            (LiveInput.publisher_seen_at < stale) & LiveInput.relay_url.is_(None),
            LiveInput.publisher_seen_at < unclaimed,
        )
        orphans = await session.scalars(select(LiveInput).where(LiveInput.state == IngestState.CONNECTED, lapsed))
        for orphan in list(orphans):
            seen = orphan.publisher_seen_at or now
            result = await session.execute(
                update(LiveInput)
                .where(LiveInput.live_input_id == orphan.live_input_id, LiveInput.state == IngestState.CONNECTED)
                .where(lapsed)
                .values(
                    state=IngestState.RECONNECTING,
                    publisher_id=None,
                    relay_owner=None,
                    relay_url=None,
                    disconnected_at=seen,
                    reconnect_deadline=seen + window,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) == 1:
                automation.record(
                    session,
                    event_id=orphan.event_id,
                    trigger=TriggerType.INGEST,
                    action="ingest.lost",
                    status=ExecutionStatus.FAILED,
                    details={"reason": "the ingest stopped renewing the publisher (server restart?)"},
                )
        await session.commit()

        due = await session.scalars(
            select(LiveInput).where(LiveInput.state == IngestState.RECONNECTING, LiveInput.reconnect_deadline < now)
        )
        for live_input in list(due):
            result = await session.execute(
                update(LiveInput)
                .where(LiveInput.live_input_id == live_input.live_input_id, LiveInput.state == IngestState.RECONNECTING)
                .where(LiveInput.reconnect_deadline < now)
                .values(state=IngestState.IDLE, reconnect_deadline=None, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                continue
            # not committed alone: if ending the event fails, the input stays due and the next tick retries
            event = await session.get(Event, live_input.event_id)
            if event is None or event.status != EventStatus.LIVE or not event.auto_end:
                continue
            try:
                await events_service.transition(
                    session,
                    event.event_id,
                    EventStatus.ENDED,
                    Actor.system("ingest"),
                    reason=f"the encoder did not reconnect within {settings.live_reconnect_window_seconds} s",
                )
                ended.append(event.event_id)
            except (Conflict, NotFound):
                continue
        await session.commit()
    return ended


RELAY_TAKEN_OVER = "another instance took the relay over"


async def inputs_of_over_events(db: Database, live_input_ids: list[str] | None = None) -> list[LiveInput]:
    """Inputs whose event is over but whose broadcast has not been closed yet (or only these ids)."""
    async with db.sessionmaker() as session:
        query = (
            select(LiveInput)
            .join(Event, Event.event_id == LiveInput.event_id)
            .where(
                or_(Event.status.in_(list(OVER)), Event.deleted_at.is_not(None)),
                or_(LiveInput.state != IngestState.ENDED, LiveInput.recording_status == RecordingStatus.RECORDING),
            )
        )
        if live_input_ids is not None:
            query = query.where(LiveInput.live_input_id.in_(live_input_ids))
        return list(await session.scalars(query))


async def close_broadcast(db: Database, live_input_id: str) -> bool:
    """The event is over and nobody publishes: state ended, recording queued. True if this call did it."""
    async with db.sessionmaker() as session:
        now = utcnow()
        await session.execute(
            update(LiveInput)
            .where(LiveInput.live_input_id == live_input_id, LiveInput.publisher_id.is_(None))
            .values(state=IngestState.ENDED, reconnect_deadline=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        result = await session.execute(
            update(LiveInput)
            .where(
                LiveInput.live_input_id == live_input_id,
                LiveInput.publisher_id.is_(None),
                LiveInput.recording_status == RecordingStatus.RECORDING,
            )
            .values(recording_status=RecordingStatus.PENDING, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        queued = getattr(result, "rowcount", 0) == 1
        if queued:
            live_input = await session.get(LiveInput, live_input_id)
            if live_input is not None:
                automation.record(
                    session,
                    event_id=live_input.event_id,
                    trigger=TriggerType.RECORDING,
                    action="recording.queued",
                    status=ExecutionStatus.PENDING,
                    details={"liveInputId": live_input_id},
                )
        await session.commit()
        return queued
