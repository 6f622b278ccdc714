"""Player telemetry, the admins' analytics, and the live viewer count stream."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials
from sse_starlette import EventSourceResponse
from starlette.background import BackgroundTask

from golive.access import watching
from golive.access.admission import ViewerIdentity
from golive.access.viewer_tokens import ViewerAuth, viewer_bearer
from golive.engagement.analytics import reports, service
from golive.engagement.analytics.aggregates import TimeRange
from golive.engagement.analytics.live import StreamAccess, live_stats_events
from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.engagement.analytics.schemas import (
    AnalyticsOverview,
    EventAnalytics,
    ExportFormat,
    SessionOpened,
    SessionOpenRequest,
    TelemetryAccepted,
    TelemetryBatch,
)
from golive.events import service as events_service
from golive.identity.staff.auth import Editor
from golive.platform.deps import ClientIp, Ctx, EventId
from golive.platform.errors import Forbidden, ValidationFailed
from golive.platform.ratelimit import network_key
from golive.platform.schemas import json_response

router = APIRouter(tags=["analytics"])

LIVE_STATS_TOKEN = "A viewer token, for EventSource (which cannot send headers); Authorization: Bearer also works"

SessionId = Annotated[str, Path(alias="sessionId", min_length=1, max_length=64)]
RangeStart = Annotated[
    datetime | None,
    Query(alias="from", description="ISO 8601; without a zone, UTC; between 2000-01-01 and 2200-01-01 UTC"),
]
RangeEnd = Annotated[
    datetime | None,
    Query(
        alias="to",
        description=(
            "ISO 8601, exclusive; without a zone, UTC; between 2000-01-01 and 2200-01-01 UTC and later than `from` "
            "(an empty or reversed range is 422)"
        ),
    ),
]

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The dashboard, or with ?format=csv the event's sessions in the range as a CSV file",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
SSE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "Server-sent events named `viewers`, data {eventId, concurrentViewers, at}; a viewer's stream "
            "ends with one named `refused`, data {status, error: {code, message, details: {reason}, timestamp}}"
        ),
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


async def analytics_runtime(request: Request) -> AnalyticsRuntime:
    runtime: AnalyticsRuntime = request.app.state.analytics
    return runtime


Runtime = Annotated[AnalyticsRuntime, Depends(analytics_runtime)]


def _utc(name: str, moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError as exc:
        raise ValidationFailed("The time range is not valid", fields={name: "is out of range"}) from exc


def _window(start: datetime | None, end: datetime | None) -> TimeRange:
    window = TimeRange(_utc("from", start), _utc("to", end))
    reports.check_range(window)
    return window


@router.post("/api/playback/sessions", response_model=SessionOpened, status_code=status.HTTP_201_CREATED)
async def open_playback_session(
    body: SessionOpenRequest, viewer: ViewerAuth, request: Request, ctx: Ctx, runtime: Runtime, ip: ClientIp
) -> Response:
    """The player calls this on the first play; the answer says how often to send heartbeats."""
    client = service.Client(ip=ip, user_agent=request.headers.get("user-agent", ""), headers=dict(request.headers))
    identity = ViewerIdentity(viewer_id=viewer.viewer_id, event_id=viewer.event_id)
    opened = await service.open_session(ctx, runtime.ingest, runtime.geo, identity, body.event_id, client)
    return json_response(opened, status_code=status.HTTP_201_CREATED)


@router.post(
    "/api/playback/sessions/{sessionId}/events",
    response_model=TelemetryAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    description=(
        "A batch of one session's events, oldest first. The viewer token goes in Authorization: Bearer, "
        "or in the body's `token` for navigator.sendBeacon (which cannot set headers). Any impossible "
        "event refuses the whole batch. Accepted events are written within about a second."
    ),
)
async def send_playback_events(
    session_id: SessionId,
    body: TelemetryBatch,
    ctx: Ctx,
    runtime: Runtime,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(viewer_bearer)],
) -> Response:
    viewer = service.viewer_from_token(ctx, credentials.credentials if credentials else body.token)
    accepted = await service.accept_events(runtime.ingest, viewer, session_id, body.events)
    return json_response(TelemetryAccepted(accepted=accepted), status_code=status.HTTP_202_ACCEPTED)


@router.get("/api/analytics", response_model=AnalyticsOverview)
async def analytics_overview(_: Editor, ctx: Ctx, range_from: RangeStart = None, range_to: RangeEnd = None) -> Response:
    return json_response(await reports.analytics_overview(ctx, _window(range_from, range_to)))


@router.get("/api/analytics/{eventId}", response_model=EventAnalytics, responses=CSV_RESPONSE)
async def event_analytics(
    event_id: EventId,
    _: Editor,
    ctx: Ctx,
    runtime: Runtime,
    range_from: RangeStart = None,
    range_to: RangeEnd = None,
    format_: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.JSON,
) -> Response:
    window = _window(range_from, range_to)
    if format_ == ExportFormat.CSV:
        filename, rows = await reports.sessions_csv(ctx, event_id, window)
        return StreamingResponse(
            rows,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return json_response(await reports.event_analytics(ctx, runtime.realtime.presence, event_id, window))


@router.get(
    "/api/events/{eventId}/live-stats",
    response_class=EventSourceResponse,
    responses=SSE_RESPONSE,
    description=(
        "Public, like the count a player shows: the event's concurrent viewers, pushed on change. "
        "One address may hold GOLIVE_LIVE_STATS_MAX_STREAMS_PER_IP streams at once (per instance). "
        "A viewer's player sends its viewer token (Authorization: Bearer, or `token`): the stream is then "
        "refused (403 not_admitted, 409 event_not_playable, with details.reason) unless access.decide allows "
        "watching, and once the viewer's rights go (a refund, a revoked grant: at once) it sends a `refused` "
        "event, data {status, error} (the error body a refused request gets), and ends."
    ),
)
async def live_stats(
    event_id: EventId,
    ctx: Ctx,
    runtime: Runtime,
    ip: ClientIp,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(viewer_bearer)],
    token: Annotated[str | None, Query(max_length=2048, description=LIVE_STATS_TOKEN)] = None,
) -> EventSourceResponse:
    viewer_token = credentials.credentials if credentials else token
    checks = runtime.ingest.access
    heard = checks.heard
    async with ctx.db.sessionmaker() as session:
        event = await events_service.get_event(session, event_id)
        access = None
        if viewer_token:
            viewer = service.viewer_from_token(ctx, viewer_token)
            if viewer.event_id != event_id:
                raise Forbidden("This viewer token is for another event", code="viewer_token_other_event")
            decision = await watching.viewer_decision(session, viewer.viewer_id, event)
            if not decision.allowed:
                raise watching.refusal(decision, event)
            checks.allowed_now(viewer.viewer_id, heard)
            access = StreamAccess(checks, viewer.viewer_id, event_id, heard)
    slot = runtime.live_streams.acquire(network_key(ip))
    # Released when the stream's generator ends, or after the response if the generator never started.
    return EventSourceResponse(
        live_stats_events(runtime.realtime, event_id, slot, access), ping=15, background=BackgroundTask(slot.release)
    )
