"""Live inputs: the admin's view and key rotation, the publish check, the publisher's lease, the replay.

The ingest (runtime.py) calls these with its own sessions; every state change that two app instances
could race on is a conditional UPDATE, like the event lifecycle: one publisher holds a key's lease,
one instance expires a reconnect window, one job finalizes a recording.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.automation import service as automation
from golive.automation.models import AutomationLog, ExecutionStatus, TriggerType
from golive.events import service as events_service
from golive.events.models import Event, EventStatus, EventType
from golive.live import keys
from golive.live.models import IngestState, LiveInput, RecordingStatus
from golive.live.packaging import playlists
from golive.live.packaging.packager import work_dir
from golive.live.schemas import BroadcastState, IngestHealthOut, LiveInputOut, LiveStatusOut, RecordingOut
from golive.media.hls import PlaybackGrant, asset_prefix, grant_playback
from golive.media.models import AssetStatus, MediaAsset
from golive.media.schemas import PlaybackOut
from golive.platform.context import AppContext
from golive.platform.db import Database, new_id, utcnow
from golive.platform.errors import Conflict, NotFound, ValidationFailed
from golive.platform.ratelimit import network_key
from golive.platform.settings import Settings

log = logging.getLogger("golive.live")

# An event in one of these is over: its key is refused and its broadcast is closed.
OVER = frozenset({EventStatus.ENDED, EventStatus.ARCHIVED, EventStatus.CANCELLED})
RECORDING_FILE = "recording.ts"
REFUSAL_LOG_LIMIT = 20  # refused publishes logged to the audit trail per address and 5 minutes
# The recording.finalize log entry's detail naming where the event went live in the recording.
WENT_LIVE_DETAIL = "wentLiveAtSeconds"


class IngestRefused(Exception):
    """A publish that must not reach a transcoder; `reason` is shown to the encoder and logged."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class PublishGrant:
    live_input_id: str
    event_id: str
    key_digest: str
    # True when this publish starts a new broadcast (nothing of an earlier one is continued).
    fresh: bool


def lease_seconds(settings: Settings) -> float:
    """A publisher's lease lapses after this long without a renewal (its server died); never shorter than
    two renewals, or a busy instance would lose its own publishers."""
    return max(settings.live_lease_seconds, 2 * settings.live_health_seconds)


def rtmp_url(settings: Settings) -> str:
    if settings.rtmp_public_url:
        return settings.rtmp_public_url.rstrip("/")
    host = urlsplit(settings.base_url).hostname or settings.host
    if host in ("0.0.0.0", "::", ""):  # noqa: S104
        host = "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return f"rtmp://{host}:{settings.rtmp_port or 1935}/live"


def recording_dir(settings: Settings, live_input_id: str) -> Path:
    return work_dir(settings, live_input_id) / "recording"


# --- the admin's side -------------------------------------------------------------------------------


async def _live_event(session: AsyncSession, event_id: str) -> Event:
    event = await events_service.get_event(session, event_id)
    if event.event_type != EventType.LIVE:
        raise Conflict(
            "This is an on-demand event; only live events have a live input (upload its video instead)",
            code="not_a_live_event",
            details={"eventId": event_id, "eventType": event.event_type.value},
        )
    return event


async def find_input(session: AsyncSession, event_id: str) -> LiveInput | None:
    result: LiveInput | None = await session.scalar(select(LiveInput).where(LiveInput.event_id == event_id))
    return result


async def _new_input(session: AsyncSession, ctx: AppContext, event_id: str) -> LiveInput:
    live_input_id = new_id()
    nonce = keys.new_nonce()
    stream_key = keys.derive_stream_key(ctx.tokens, live_input_id, nonce)
    live_input = LiveInput(
        live_input_id=live_input_id,
        event_id=event_id,
        key_nonce=nonce,
        stream_key_digest=keys.key_digest(stream_key),
        state=IngestState.IDLE,
        health={},
        recording_status=RecordingStatus.NONE,
        recording_probe={},
    )
    session.add(live_input)
    try:
        await session.commit()
    except IntegrityError:  # created by a parallel request a moment ago
        await session.rollback()
        existing = await find_input(session, event_id)
        if existing is None:
            raise
        return existing
    return live_input


async def input_for_admin(session: AsyncSession, ctx: AppContext, event_id: str) -> tuple[Event, LiveInput]:
    """The event's live input, made on first use (a live event always has exactly one)."""
    event = await _live_event(session, event_id)
    live_input = await find_input(session, event_id)
    if live_input is None:
        live_input = await _new_input(session, ctx, event_id)
    return event, live_input


def stream_key(ctx: AppContext, live_input: LiveInput) -> str:
    return keys.derive_stream_key(ctx.tokens, live_input.live_input_id, live_input.key_nonce)


async def rotate_key(session: AsyncSession, ctx: AppContext, event_id: str, actor: Actor) -> tuple[Event, LiveInput]:
    """A new key; the old one is refused from now on, and its publisher is sent away by its ingest."""
    event, live_input = await input_for_admin(session, ctx, event_id)
    live_input.key_nonce = keys.new_nonce()
    live_input.stream_key_digest = keys.key_digest(stream_key(ctx, live_input))
    live_input.key_rotated_at = utcnow()
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action="live_input.rotate_key",
        entity_type="event",
        entity_id=event_id,
        after={"liveInputId": live_input.live_input_id, "keyRotatedAt": live_input.key_rotated_at.isoformat()},
        ip_address=actor.ip,
    )
    await session.commit()
    return event, live_input


def shown_state(event: Event, live_input: LiveInput) -> IngestState:
    return IngestState.ENDED if event.status in OVER else live_input.state


async def recording_out(session: AsyncSession, live_input: LiveInput) -> RecordingOut:
    """The recording's length and, from the job that joined it, where the event went live in it."""
    went_live: float | None = None
    ready = live_input.recording_status == RecordingStatus.READY
    if ready:
        details = await session.scalar(
            select(AutomationLog.details)
            .where(AutomationLog.event_id == live_input.event_id, AutomationLog.action == "recording.finalize")
            .where(AutomationLog.execution_status == ExecutionStatus.SUCCESS)
            .order_by(AutomationLog.timestamp.desc())
            .limit(1)
        )
        value = details.get(WENT_LIVE_DETAIL) if isinstance(details, dict) else None
        went_live = float(value) if isinstance(value, int | float) else None
    return RecordingOut(
        status=live_input.recording_status,
        duration_seconds=live_input.recording_duration if ready else None,
        went_live_at_seconds=went_live,
    )


def live_input_out(
    ctx: AppContext, event: Event, live_input: LiveInput, viewers: int, recording: RecordingOut
) -> LiveInputOut:
    state = shown_state(event, live_input)
    connected = state == IngestState.CONNECTED
    health: dict[str, Any] = live_input.health if connected else {}
    now = utcnow()
    preview = None
    if state in (IngestState.CONNECTED, IngestState.RECONNECTING) and live_input.stream_ready_at is not None:
        preview = _grant(ctx, live_input).url(playlists.MASTER_PLAYLIST)
    return LiveInputOut(
        rtmp_url=rtmp_url(ctx.settings),
        stream_key=stream_key(ctx, live_input),
        state=state,
        health=IngestHealthOut(
            connected=connected,
            bitrate_kbps=health.get("bitrateKbps"),
            fps=health.get("fps"),
            width=health.get("width"),
            height=health.get("height"),
            video_codec=health.get("videoCodec"),
            audio_codec=health.get("audioCodec"),
            keyframe_interval_seconds=health.get("keyframeIntervalSeconds"),
            dropped_frames=int(health.get("droppedFrames") or 0),
            uptime_seconds=round((now - live_input.connected_at).total_seconds(), 1)
            if connected and live_input.connected_at
            else None,
            connected_at=live_input.connected_at,
            last_media_at=live_input.last_media_at,
            remote_addr=live_input.remote_addr,
        ),
        preview_url=preview,
        viewers=viewers,
        recording=recording,
        srt_url=None,
    )


def _grant(ctx: AppContext, live_input: LiveInput) -> PlaybackGrant:
    return grant_playback(ctx.urls, asset_prefix(live_input.live_input_id), ctx.settings.playback_url_minutes * 60)


async def live_playback(ctx: AppContext, session: AsyncSession, event: Event, *, admin: bool) -> PlaybackOut | None:
    """The live master while the event is live and its stream has started; None: use the replay.

    Admins may also watch a stream that is on air before the event went live (a rehearsal).
    """
    if event.event_type != EventType.LIVE:
        return None
    live_input = await find_input(session, event.event_id)
    if live_input is None or live_input.stream_ready_at is None:
        return None
    rehearsal = admin and event.status in (EventStatus.DRAFT, EventStatus.SCHEDULED)
    on_air = live_input.state in (IngestState.CONNECTED, IngestState.RECONNECTING)
    if event.status != EventStatus.LIVE and not (rehearsal and on_air):
        return None
    return PlaybackOut(
        playback_url=_grant(ctx, live_input).url(playlists.MASTER_PLAYLIST),
        poster_url=None,
        thumbnails_url=None,
        is_live=True,
        duration=None,
    )


# --- the viewer's live status ------------------------------------------------------------------------


def media_stale_seconds(settings: Settings) -> float:
    """A connected encoder that sent nothing for this long counts as gone for viewers (a silent network
    drop keeps the socket open until the ingest's own timeout, far longer)."""
    return max(5.0, 3 * settings.live_health_seconds)


def broadcast_state(settings: Settings, event: Event, live_input: LiveInput | None, now: datetime) -> BroadcastState:
    if event.status in OVER:
        return BroadcastState.ENDED
    if event.status != EventStatus.LIVE or live_input is None or live_input.stream_ready_at is None:
        return BroadcastState.WAITING
    connected = live_input.connected_at
    last_sign = live_input.last_media_at or connected
    receiving = (
        live_input.state == IngestState.CONNECTED
        and last_sign is not None
        and (now - last_sign).total_seconds() < media_stale_seconds(settings)
    )
    dropped = live_input.disconnected_at
    if receiving and connected is not None and dropped is not None and dropped > live_input.stream_ready_at:
        # Back after a drop once the new transcoder has had time for a few segments: a player that reloads
        # sooner starts on the old segments still in the window, the picture from before the drop.
        media = live_input.last_media_at
        resume_after = 2 * settings.live_segment_seconds + 1
        receiving = media is not None and (media - connected).total_seconds() >= resume_after
    return BroadcastState.LIVE if receiving else BroadcastState.INTERRUPTED


async def live_status(session: AsyncSession, settings: Settings, event_id: str) -> LiveStatusOut:
    """What the player shows around the video: on air, interrupted (resumes by itself), ended (and the replay)."""
    event = await events_service.get_published_event(session, event_id)
    if event.event_type != EventType.LIVE:
        await _live_event(session, event_id)  # the same 409 as the admin's live input
    live_input = await find_input(session, event_id)
    state = broadcast_state(settings, event, live_input, utcnow())
    replay_ready = False
    if state == BroadcastState.ENDED:
        ready = await session.scalar(
            select(MediaAsset.asset_id)
            .where(MediaAsset.event_id == event_id, MediaAsset.deleted_at.is_(None))
            .where(MediaAsset.status == AssetStatus.READY)
            .limit(1)
        )
        replay_ready = ready is not None
    return LiveStatusOut(event_id=event_id, status=event.status, broadcast=state, replay_ready=replay_ready)


# --- publishing ---------------------------------------------------------------------------------------


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


# --- the replay ---------------------------------------------------------------------------------------


def link_or_copy(source: Path, target: Path) -> None:
    """The replay asset's source is the recording itself (a hard link: instant, no second copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


async def create_replay_asset(
    session: AsyncSession,
    settings: Settings,
    live_input: LiveInput,
    *,
    clip_start: float,
    clip_end: float | None,
) -> MediaAsset:
    """A media asset made of (part of) the recording; the media pipeline's transcode job does the rest."""
    recording = recording_dir(settings, live_input.live_input_id) / RECORDING_FILE
    asset_id = new_id()
    target = settings.source_dir / asset_id / "source"
    link_or_copy(recording, target)
    duration = float(live_input.recording_duration or 0.0)
    end = clip_end if clip_end is not None else duration
    asset = MediaAsset(
        asset_id=asset_id,
        event_id=live_input.event_id,
        status=AssetStatus.UPLOADED,
        progress=0.0,
        source_filename=RECORDING_FILE,
        source_size=recording.stat().st_size,
        source_path=f"{asset_id}/source",
        source_probe=dict(live_input.recording_probe),
        duration=max(0.0, end - clip_start),
        renditions=[],
        attempts=0,
        clip_start=clip_start if clip_start > 0 else None,
        clip_end=clip_end,
    )
    session.add(asset)
    live_input.replay_asset_id = asset_id
    return asset


async def trim_replay(
    session: AsyncSession, ctx: AppContext, event_id: str, start: float, end: float | None, actor: Actor
) -> MediaAsset:
    """Re-make the replay from [start, end) of the recording; the current replay plays until it is ready."""
    await _live_event(session, event_id)
    if end is not None and end <= start:
        raise ValidationFailed(
            "The trim ends before it starts", fields={"endSeconds": "must be greater than startSeconds"}
        )
    live_input = await find_input(session, event_id)
    recording = recording_dir(ctx.settings, live_input.live_input_id) / RECORDING_FILE if live_input else None
    if live_input is None or live_input.recording_status != RecordingStatus.READY or not recording:
        raise Conflict(
            "There is no finished recording of this event yet (it is made when the event ends)",
            code="recording_not_ready",
            details={"recordingStatus": live_input.recording_status.value if live_input else RecordingStatus.NONE},
        )
    if not recording.exists():
        raise Conflict("The recording's file is gone", code="recording_missing")
    duration = float(live_input.recording_duration or 0.0)
    fields: dict[str, str] = {}
    if start >= duration:
        fields["startSeconds"] = f"must be less than the recording's length ({duration:.3f} s)"
    if end is not None and end > duration + 0.5:
        fields["endSeconds"] = f"must not exceed the recording's length ({duration:.3f} s)"
    if not fields and (min(end, duration) if end is not None else duration) - start < 1.0:
        fields["endSeconds"] = "the replay must be at least 1 second long"
    if fields:
        raise ValidationFailed("The trim does not fit the recording", fields=fields)
    clipped_end = min(end, duration) if end is not None else None
    asset = await create_replay_asset(session, ctx.settings, live_input, clip_start=start, clip_end=clipped_end)
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action="replay.trim",
        entity_type="event",
        entity_id=event_id,
        after={"assetId": asset.asset_id, "startSeconds": start, "endSeconds": clipped_end},
        ip_address=actor.ip,
    )
    automation.record(
        session,
        event_id=event_id,
        trigger=TriggerType.RECORDING,
        action="replay.trim",
        status=ExecutionStatus.PENDING,
        details={"assetId": asset.asset_id, "startSeconds": start, "endSeconds": clipped_end},
    )
    await session.commit()
    return asset
