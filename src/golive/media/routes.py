"""Media endpoints: the event's asset and poster, and signed playback (tus_routes.py, delivery_routes.py: the rest)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials

from golive.access.viewer_tokens import AuthenticatedViewer, current_viewer, viewer_bearer
from golive.audit.actor import Actor
from golive.events import service as events_service
from golive.identity.staff.auth import Editor, OptionalAdmin
from golive.identity.staff.service import AuthenticatedAdmin
from golive.media import posters, service
from golive.media.hooks import live_playback
from golive.media.schemas import MediaAssetOut, PlaybackOut, PosterFrame
from golive.media.storage import MediaStorage, make_storage
from golive.platform.deps import ClientIp, Ctx, EventId, Session
from golive.platform.errors import NotFound
from golive.platform.schemas import ErrorResponse, json_response

UploadId = Annotated[str, Path(alias="uploadId", min_length=1, max_length=64)]
AssetId = Annotated[str, Path(alias="assetId", min_length=1, max_length=64)]


def admin_actor(caller: AuthenticatedAdmin, ip: str) -> Actor:
    return Actor(kind="admin", id=caller.admin.admin_id, ip=ip)


async def app_error_response(request: Request, exc: Exception) -> Response:
    """The app's own handler for this error, so the body is exactly what every other route returns."""
    for kind in type(exc).__mro__:
        handler = request.app.exception_handlers.get(kind)
        if handler is not None:
            response: Response = await handler(request, exc)
            return response
    raise exc


# --- the event's media and playback ---------------------------------------------------------------


async def media_storage(request: Request, ctx: Ctx) -> MediaStorage:
    """One storage client per app (an S3 client is costly to make), created on first use."""
    storage: MediaStorage | None = getattr(request.app.state, "media_storage", None)
    if storage is None:
        storage = await asyncio.to_thread(make_storage, ctx.settings)
        request.app.state.media_storage = storage
    return storage


router = APIRouter(prefix="/api/events", tags=["media"])


@router.get("/{eventId}/media", response_model=MediaAssetOut)
async def get_media(event_id: EventId, _: Editor, ctx: Ctx, session: Session) -> Response:
    """The event's newest asset: poll it while it is processing (progress 0-100)."""
    return json_response(service.asset_out(ctx, await service.current_asset(session, event_id)))


@router.put(
    "/{eventId}/media/poster",
    response_model=MediaAssetOut,
    responses={415: {"model": ErrorResponse, "description": "Not a JPEG, PNG or WebP image"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}} for kind in sorted(posters.POSTER_IMAGE_TYPES)
            },
        }
    },
)
async def upload_poster(
    event_id: EventId,
    request: Request,
    caller: Editor,
    ctx: Ctx,
    session: Session,
    ip: ClientIp,
    storage: Annotated[MediaStorage, Depends(media_storage)],
) -> Response:
    """An image (the raw body, at most GOLIVE_MAX_REQUEST_BODY_BYTES) becomes the ready video's poster."""
    image = await request.body()
    content_type = request.headers.get("content-type", "")
    asset = await posters.poster_from_image(session, storage, event_id, image, content_type, admin_actor(caller, ip))
    return json_response(service.asset_out(ctx, asset))


@router.post("/{eventId}/media/poster", response_model=MediaAssetOut)
async def pick_poster_frame(
    event_id: EventId,
    body: PosterFrame,
    caller: Editor,
    ctx: Ctx,
    session: Session,
    ip: ClientIp,
    storage: Annotated[MediaStorage, Depends(media_storage)],
) -> Response:
    """The ready video's poster becomes its frame at `at` seconds (taken from the original upload)."""
    asset = await posters.poster_from_frame(ctx, session, storage, event_id, body.at, admin_actor(caller, ip))
    return json_response(service.asset_out(ctx, asset))


@router.delete("/{eventId}/media", status_code=204)
async def delete_media(
    event_id: EventId,
    caller: Editor,
    session: Session,
    ip: ClientIp,
    storage: Annotated[MediaStorage, Depends(media_storage)],
) -> Response:
    """Playback stops at once, links already handed out included; the files are removed after
    GOLIVE_DELETE_GRACE_HOURS. Editors may delete, as they may upload and replace."""
    await service.delete_media(session, storage, event_id, admin_actor(caller, ip))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def viewer_or_admin(
    admin: OptionalAdmin,
    ctx: Ctx,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(viewer_bearer)],
) -> AuthenticatedViewer | AuthenticatedAdmin:
    """Both send `Authorization: Bearer`; an admin token (or session cookie) wins, else it must be a viewer's."""
    if admin is not None:
        return admin
    return await current_viewer(ctx, credentials)


PlaybackCaller = Annotated[AuthenticatedViewer | AuthenticatedAdmin, Depends(viewer_or_admin)]


@router.get(
    "/{eventId}/poster",
    status_code=302,
    responses={302: {"description": "To the poster image (a signed URL, valid for GOLIVE_PLAYBACK_URL_MINUTES)"}},
)
async def get_poster(event_id: EventId, admin: OptionalAdmin, ctx: Ctx, session: Session) -> RedirectResponse:
    """A stable address for a signed (so expiring) poster: a published event's for anyone (link previews show
    it), any event's for admins (the console's lists show drafts too)."""
    if admin is None:
        url = await service.public_poster_url(ctx, session, event_id)
        return RedirectResponse(url, status_code=302, headers={"Cache-Control": "public, max-age=300"})
    asset = await service.playable_asset(session, event_id)
    poster_url = service.asset_out(ctx, asset).poster_url
    if poster_url is None:
        raise NotFound("This video has no poster", code="poster_not_found", details={"eventId": event_id})
    return RedirectResponse(poster_url, status_code=302, headers={"Cache-Control": "private, max-age=60"})


@router.get("/{eventId}/playback", response_model=PlaybackOut)
async def get_playback(event_id: EventId, caller: PlaybackCaller, ctx: Ctx, session: Session) -> Response:
    """A viewer's (or an admin's preview) signed master playlist: the live stream while the event is live
    (`isLive`), the on-demand video or replay otherwise, with its poster and thumbnails track."""
    viewer = isinstance(caller, AuthenticatedViewer)
    if isinstance(caller, AuthenticatedViewer):
        caller.require_event(event_id)
        event = await service.event_for_viewer(session, event_id, caller.viewer_id)
    else:
        event = await events_service.get_event(session, event_id)
    live = await live_playback.call(ctx, session, event, admin=not viewer)
    if live is not None:
        return json_response(live)
    return json_response(service.playback_out(ctx, await service.playable_asset(session, event_id), viewer=viewer))
