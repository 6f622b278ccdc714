"""Live endpoints: the admin's live input (the control room's contract), the replay trim, nginx-rtmp hooks."""

from __future__ import annotations

import asyncio
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from golive.audit.actor import Actor
from golive.identity.staff.auth import Editor
from golive.live import replay, service
from golive.live.hooks import viewers_watching
from golive.live.runtime import LiveRuntime
from golive.live.schemas import LiveInputOut, LiveStatusOut, ReplayTrimRequest
from golive.live.service import IngestRefused
from golive.media import service as media_service
from golive.media.schemas import MediaAssetOut
from golive.media.tasks import enqueue_transcode
from golive.platform.deps import ClientIp, Ctx, EventId, Session, app_context
from golive.platform.errors import Forbidden, NotFound, ServiceUnavailable
from golive.platform.micro_cache import MicroCache
from golive.platform.schemas import CamelModel, json_response

router = APIRouter(prefix="/api/events", tags=["live"])


async def live_runtime(request: Request) -> LiveRuntime | None:
    runtime: LiveRuntime | None = getattr(request.app.state, "live", None)
    return runtime


Live = Annotated[LiveRuntime | None, Depends(live_runtime)]

# Every player of a live event polls its status: one read per event and process per cache period.
live_status_cache = MicroCache()


@router.get(
    "/{eventId}/live-status",
    response_model=LiveStatusOut,
    description=(
        "Public: what the player of a live event shows around the video. `broadcast` is `waiting` (not started), "
        "`live`, `interrupted` (the encoder went quiet; playback resumes by itself when it returns) or `ended`; "
        "`replayReady` once the ended event's replay can be played. Players poll it every few seconds; answers "
        "are cached for GOLIVE_PUBLIC_CACHE_SECONDS. 404 for an unpublished event, 409 `not_a_live_event`."
    ),
)
async def get_live_status(event_id: EventId, request: Request) -> Response:
    ctx = app_context(request)
    max_age = ctx.settings.public_cache_seconds
    body = live_status_cache.get(event_id, max_age) if max_age > 0 else None
    if body is None:
        async with ctx.db.sessionmaker() as session:
            status_out = await service.live_status(session, ctx.settings, event_id)
        body = status_out.model_dump_json(by_alias=True).encode()
        if max_age > 0:
            live_status_cache.put(event_id, body)
    # the same bound for a CDN or proxy in front: at scale the crowd's polls need not reach the app
    cache_control = f"public, max-age={int(max_age)}" if max_age >= 1 else "no-store"
    return Response(body, media_type="application/json", headers={"Cache-Control": cache_control})


@router.get(
    "/{eventId}/live-input",
    response_model=LiveInputOut,
    description=(
        "Where the encoder publishes (`rtmpUrl` + `/` + `streamKey`), the ingest state and health, a signed "
        "preview while on air, and the current viewer count. 409 `not_a_live_event` for an on-demand event."
    ),
)
async def get_live_input(event_id: EventId, _: Editor, ctx: Ctx, session: Session, request: Request) -> Response:
    event, live_input = await service.input_for_admin(session, ctx, event_id)
    viewers = await viewers_watching.call(request, event_id)
    recording = await service.recording_out(session, live_input)
    return json_response(service.live_input_out(ctx, event, live_input, viewers, recording))


@router.post(
    "/{eventId}/live-input/rotate",
    response_model=LiveInputOut,
    description="A new stream key. The old one is refused from now on and an encoder using it is disconnected.",
)
async def rotate_stream_key(
    event_id: EventId,
    caller: Editor,
    ctx: Ctx,
    session: Session,
    ip: ClientIp,
    request: Request,
    live: Live,
) -> Response:
    actor = Actor(kind="admin", id=caller.admin.admin_id, ip=ip)
    event, live_input = await service.rotate_key(session, ctx, event_id, actor)
    if live is not None:
        await live.kick(live_input.live_input_id, "the stream key was rotated")
        await session.refresh(live_input)
    viewers = await viewers_watching.call(request, event_id)
    recording = await service.recording_out(session, live_input)
    return json_response(service.live_input_out(ctx, event, live_input, viewers, recording))


@router.post(
    "/{eventId}/replay/trim",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=MediaAssetOut,
    description=(
        "Re-make the replay from `startSeconds` to `endSeconds` (null: the end) of the event's recording, "
        "which starts when the encoder was accepted (`recording.wentLiveAtSeconds` of GET live-input says where "
        "the event went live: a trim from there cuts the waiting). "
        "Answers with the new asset (poll GET /media); the current replay plays until the new one is ready. "
        "409 `recording_not_ready` before the recording of an ended event is finished."
    ),
)
async def trim_replay(
    event_id: EventId, body: ReplayTrimRequest, caller: Editor, ctx: Ctx, session: Session, ip: ClientIp
) -> Response:
    actor = Actor(kind="admin", id=caller.admin.admin_id, ip=ip)
    asset = await replay.trim_replay(session, ctx, event_id, body.start_seconds, body.end_seconds, actor)
    await asyncio.to_thread(enqueue_transcode, asset.asset_id)
    return json_response(media_service.asset_out(ctx, asset), status_code=status.HTTP_202_ACCEPTED)


# --- nginx-rtmp callbacks (deploy/nginx-rtmp.conf) ----------------------------------------------------

hooks_router = APIRouter(prefix="/api/ingest", tags=["ingest"])


class HookAnswer(CamelModel):
    status: str


def _check_hook_secret(ctx: Ctx, secret: str) -> None:
    expected = ctx.settings.ingest_hook_secret
    if not expected:
        raise NotFound("The ingest hooks are off (set GOLIVE_INGEST_HOOK_SECRET)", code="ingest_hooks_disabled")
    if not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Forbidden("Wrong or missing ingest hook secret", code="invalid_hook_secret")


HookSecret = Annotated[str, Query(max_length=200, description="GOLIVE_INGEST_HOOK_SECRET")]


class HookForm(BaseModel):
    """The fields of an nginx-rtmp callback GoLive reads (it posts more; those are ignored)."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field("", max_length=1024, description="the publish name: the stream key")
    addr: str = Field("", max_length=1024)
    app: str = Field("", max_length=1024)
    clientid: str = Field("", max_length=1024)
    tcurl: str = Field("", max_length=1024)


class PublishHookForm(HookForm):
    name: str = Field(max_length=1024, description="the publish name: the stream key")


@hooks_router.post(
    "/on_publish",
    response_model=HookAnswer,
    description=(
        "nginx-rtmp `on_publish` (form-encoded `name` = stream key, `addr`, `app`, `clientid`, `tcurl`, ...). "
        "2xx lets the encoder publish and GoLive pulls the stream from nginx; 403 refuses it."
    ),
)
async def on_publish(
    ctx: Ctx, live: Live, ip: ClientIp, form: Annotated[PublishHookForm, Form()], secret: HookSecret = ""
) -> Response:
    _check_hook_secret(ctx, secret)
    if live is None:
        raise ServiceUnavailable("The live ingest is not running", code="ingest_unavailable")
    try:
        await live.nginx.publish(ip, form.model_dump())
    except IngestRefused as refused:
        raise Forbidden(refused.reason, code=refused.code) from None
    return json_response(HookAnswer(status="accepted"))


@hooks_router.post(
    "/on_publish_done",
    response_model=HookAnswer,
    description="nginx-rtmp `on_publish_done`: matched on `clientid`, so a refused duplicate's callback ends nothing.",
)
async def on_publish_done(
    ctx: Ctx, live: Live, ip: ClientIp, form: Annotated[HookForm, Form()], secret: HookSecret = ""
) -> Response:
    _check_hook_secret(ctx, secret)
    if live is not None:
        await live.nginx.publish_done(ip, form.model_dump())
    return json_response(HookAnswer(status="done"))
