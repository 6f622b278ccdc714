"""Live inputs: the admin's view and key rotation, the viewer's live status, and what publishing.py and replay.py
share (the refusal, the publish grant, the recording's place).

Every state change that two app instances could race on is a conditional UPDATE, like the event lifecycle:
one publisher holds a key's lease (publishing.py), one job finalizes a recording (recording.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.automation.models import AutomationLog, ExecutionStatus
from golive.events import service as events_service
from golive.events.models import Event, EventStatus, EventType
from golive.live import keys
from golive.live.models import IngestState, LiveInput, RecordingStatus
from golive.live.packaging import playlists
from golive.live.packaging.packager import work_dir
from golive.live.schemas import BroadcastState, IngestHealthOut, LiveInputOut, LiveStatusOut, RecordingOut
from golive.media.hls import PlaybackGrant, asset_prefix, grant_playback
from golive.media.models import AssetStatus, MediaAsset
from golive.media.playback import signed_playback
from golive.media.schemas import PlaybackOut
from golive.platform.context import AppContext
from golive.platform.db import new_id, utcnow
from golive.platform.errors import Conflict
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


async def live_event(session: AsyncSession, event_id: str) -> Event:
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
    event = await live_event(session, event_id)
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
    # a viewer's links are short-lived (the player renews them); an admin's rehearsal preview keeps long ones
    return signed_playback(
        ctx.settings,
        ctx.urls,
        asset_prefix(live_input.live_input_id),
        viewer=not admin,
        master=playlists.MASTER_PLAYLIST,
        is_live=True,
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
        await live_event(session, event_id)  # the same 409 as the admin's live input
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
