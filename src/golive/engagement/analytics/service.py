"""Player telemetry: opening a playback session, checking and accepting its events, closing silent ones."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import admission as viewers_service
from golive.access import watching
from golive.access.admission import ViewerIdentity
from golive.engagement.analytics import aggregates, repository
from golive.engagement.analytics.enrichment import GeoLocator, describe_device
from golive.engagement.analytics.ingest import TelemetryIngest
from golive.engagement.analytics.repository import SessionInfo
from golive.engagement.analytics.schemas import MAX_BATCH_EVENTS, EndEvent, SessionOpened, TelemetryEvent
from golive.events import service as events_service
from golive.events.models import EventType
from golive.media import service as media_service
from golive.platform.context import AppContext
from golive.platform.db import new_id, utcnow
from golive.platform.errors import AppError, Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed

# a VOD position may pass the media's end by this much (players overshoot on the last segment)
POSITION_SLACK_SECONDS = 10.0
# playing time may run ahead of wall time by this much (clocks, the request's own latency)
PLAYED_SLACK_SECONDS = 60.0


@dataclass(frozen=True)
class Client:
    """Where a session is opened from."""

    ip: str
    user_agent: str
    headers: dict[str, str]


def viewer_from_token(ctx: AppContext, token: str | None) -> ViewerIdentity:
    if not token:
        raise Unauthorized(
            "Send the viewer token from POST /api/registrations (Authorization: Bearer, or `token` in the body)",
            code="viewer_token_missing",
        )
    identity = viewers_service.read_viewer_token(ctx, token)
    if identity is None:
        raise Unauthorized("The viewer token is invalid or has expired; register again", code="viewer_token_invalid")
    return identity


async def open_session(
    ctx: AppContext, ingest: TelemetryIngest, geo: GeoLocator, viewer: ViewerIdentity, event_id: str, client: Client
) -> SessionOpened:
    """A new session for an admitted viewer, enriched with device and place once, here.

    A viewer keeps at most playback_max_open_sessions_per_viewer open: the newest play wins (the tab
    they are looking at), and their oldest open sessions end as `replaced`; the player of such a tab
    gets 409 on its next report and opens a new session when played again.
    """
    if viewer.event_id != event_id:
        raise Forbidden("This viewer token is for another event", code="viewer_token_other_event")
    heard = ingest.access.heard
    async with ctx.db.sessionmaker() as session:
        event = await events_service.get_event(session, event_id)
        await watching.require_watch(session, viewer.viewer_id, event)
        media_duration = await _media_duration(session, event_id) if event.event_type == EventType.VOD else None
    device = describe_device(client.user_agent)
    place = geo.locate(client.ip, client.headers)
    now = utcnow()
    info = SessionInfo(
        session_id=new_id(),
        event_id=event_id,
        viewer_id=viewer.viewer_id,
        playback_type=event.event_type,
        media_duration=media_duration,
        start_time=now,
        closed=False,
    )
    async with ctx.db.engine.begin() as connection:
        await repository.insert_session(
            connection,
            {
                "session_id": info.session_id,
                "event_id": event_id,
                "viewer_id": viewer.viewer_id,
                "start_time": now,
                "last_heartbeat_at": now,
                "playback_type": event.event_type,
                "ip_address": client.ip[:45],
                "device_info": device.info,
                "location": place.as_json(),
                "device_type": device.device_type,
                "browser": device.browser,
                "os": device.os,
                "country": place.country,
                "media_duration": media_duration,
                "created_at": now,
            },
        )
        await repository.count_viewer_session(connection, viewer.viewer_id)
        replaced = await repository.close_oldest_open_sessions(
            connection, viewer.viewer_id, ctx.settings.playback_max_open_sessions_per_viewer
        )
    ingest.session_opened(info)
    ingest.access.allowed_now(viewer.viewer_id, heard)
    ingest.sessions_closed(replaced)
    await ingest.announce_closed([session_id for session_id, _ in replaced])
    return SessionOpened(
        session_id=info.session_id,
        playback_type=event.event_type,
        heartbeat_seconds=ctx.settings.playback_heartbeat_seconds,
        max_batch_events=MAX_BATCH_EVENTS,
    )


async def _media_duration(session: AsyncSession, event_id: str) -> float | None:
    """The ready video's length, the bound for VOD positions; None while there is none."""
    try:
        asset = await media_service.playable_asset(session, event_id)
    except AppError:
        return None
    return asset.duration


async def accept_events(
    ingest: TelemetryIngest, viewer: ViewerIdentity, session_id: str, events: list[TelemetryEvent]
) -> int:
    """Checks a whole batch, then buffers it: any bad event refuses the batch and nothing is stored."""
    info = await ingest.sessions.get(session_id)
    if info is None:
        raise NotFound("No such playback session", code="playback_session_not_found")
    if info.viewer_id != viewer.viewer_id:
        raise Forbidden("This playback session belongs to another viewer", code="playback_session_forbidden")
    if info.closed:
        raise Conflict("This playback session has ended; open a new one", code="playback_session_closed")
    await ingest.access.require_rights(viewer.viewer_id, info.event_id)
    _check_events(info, events)
    ingest.accept(info, events)
    if isinstance(events[-1], EndEvent):
        await ingest.announce_closed([session_id])
    return len(events)


def _check_events(info: SessionInfo, events: list[TelemetryEvent]) -> None:
    elapsed = (utcnow() - info.start_time).total_seconds()
    errors: dict[str, str] = {}
    for index, event in enumerate(events):
        if info.media_duration is not None and event.position > info.media_duration + POSITION_SLACK_SECONDS:
            errors[f"events.{index}.position"] = f"is beyond the video's end ({math.ceil(info.media_duration)} s)"
        if event.played > elapsed + PLAYED_SLACK_SECONDS:
            errors[f"events.{index}.played"] = "is more playing time than has passed since the session opened"
        if isinstance(event, EndEvent) and index != len(events) - 1:
            errors[f"events.{index}.type"] = "end must be the last event of a session"
    if errors:
        raise ValidationFailed("Some telemetry events are impossible", fields=errors)


async def close_silent_sessions(ctx: AppContext) -> int:
    """Closes sessions with no heartbeat for playback_session_timeout_seconds (the player vanished
    without an `end`), at their last heartbeat and with their last reported duration."""
    silent_since = utcnow() - timedelta(seconds=ctx.settings.playback_session_timeout_seconds)
    async with ctx.db.engine.begin() as connection:
        return await repository.close_silent_sessions(connection, silent_since)


async def roll_up_expired_sessions(ctx: AppContext, now: datetime | None = None) -> int:
    """Seed 000 section 7 TTL: sessions (and their raw events) older than analytics_retention_days are
    folded into the per-event daily aggregates and deleted, in batches of one transaction each.
    Returns how many sessions were rolled up."""
    cutoff = (now or utcnow()) - timedelta(days=ctx.settings.analytics_retention_days)
    rolled = 0
    while True:
        async with ctx.db.engine.begin() as connection:
            session_ids = await aggregates.expired_session_ids(connection, cutoff)
            if not session_ids:
                return rolled
            await aggregates.roll_up_sessions(connection, session_ids)
        rolled += len(session_ids)
