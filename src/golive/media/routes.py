"""Media endpoints: tus uploads, the event's asset, signed playback, and signed delivery of the files."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, RedirectResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials
from starlette.requests import ClientDisconnect

from golive.access.viewer_tokens import AuthenticatedViewer, current_viewer, viewer_bearer
from golive.audit.actor import Actor
from golive.events import service as events_service
from golive.identity.staff.auth import Editor, OptionalAdmin
from golive.identity.staff.service import AuthenticatedAdmin
from golive.media import delivery, posters, service, uploads
from golive.media.hooks import live_playback
from golive.media.schemas import MediaAssetOut, PlaybackOut, PosterFrame
from golive.media.storage import MediaStorage, make_storage
from golive.media.tasks import enqueue_transcode
from golive.platform.deps import ClientIp, Ctx, EventId, Session
from golive.platform.errors import AppError, BadRequest, NotFound, PreconditionFailed, UnsupportedMediaType
from golive.platform.schemas import ErrorResponse, json_response

UploadId = Annotated[str, Path(alias="uploadId", min_length=1, max_length=64)]
AssetId = Annotated[str, Path(alias="assetId", min_length=1, max_length=64)]


# --- tus ---------------------------------------------------------------------------------------


class TusRoute(APIRoute):
    """Every tus response carries Tus-Resumable, errors included (they keep the seed-004 body)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def tus_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except (AppError, RequestValidationError) as exc:
                response = await _app_error_response(request, exc)
            response.headers["Tus-Resumable"] = uploads.TUS_VERSION
            if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
                response.headers["Tus-Version"] = uploads.TUS_VERSION
            return response

        return tus_handler


async def _app_error_response(request: Request, exc: Exception) -> Response:
    """The app's own handler for this error, so the body is exactly what every other route returns."""
    for kind in type(exc).__mro__:
        handler = request.app.exception_handlers.get(kind)
        if handler is not None:
            response: Response = await handler(request, exc)
            return response
    raise exc


async def tus_request(request: Request) -> None:
    """tus core: every request but OPTIONS names the protocol version it speaks."""
    if request.headers.get("Tus-Resumable") != uploads.TUS_VERSION:
        raise PreconditionFailed(
            f"Send Tus-Resumable: {uploads.TUS_VERSION}",
            code="tus_version_unsupported",
            details={"tusVersion": uploads.TUS_VERSION},
        )


def _header(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": True, "description": description, "schema": schema}


# tus headers are read from the request (the server answers a missing one with tus's own 412 or a 400 in the
# error format, not FastAPI's 422), so the document names them here: required, as the server requires them.
TUS_RESUMABLE = _header(
    "Tus-Resumable", "The tus version the client speaks; anything else is 412", {"type": "string", "enum": ["1.0.0"]}
)
_BYTES = {"type": "string", "pattern": "^[0-9]{1,19}$"}
UPLOAD_LENGTH = _header("Upload-Length", "The file's size in bytes (Upload-Defer-Length is refused)", _BYTES)
UPLOAD_OFFSET = _header("Upload-Offset", "Where this chunk starts: the server's current offset, or 409", _BYTES)
UPLOAD_METADATA = _header(
    "Upload-Metadata",
    "Comma-separated `key base64(value)` pairs; `filename` is required, `filetype` optional",
    {"type": "string", "minLength": 1},
)


def _tus_headers(*names: dict[str, Any]) -> dict[str, Any]:
    return {"parameters": [TUS_RESUMABLE, *names]}


def _response_headers(**headers: str) -> dict[str, Any]:
    return {
        name.replace("_", "-"): {"description": text, "schema": {"type": "string"}} for name, text in headers.items()
    }


TusRequest = Depends(tus_request)
TUS_ERRORS: dict[int | str, dict[str, Any]] = {
    412: {"model": ErrorResponse, "description": "Tus-Resumable missing or not 1.0.0 (see Tus-Version)"},
    413: {"model": ErrorResponse, "description": "Longer than Upload-Length or than the server accepts"},
    415: {"model": ErrorResponse, "description": "PATCH body not sent as application/offset+octet-stream"},
}
tus_router = APIRouter(tags=["uploads"], route_class=TusRoute, responses=TUS_ERRORS)


CAPABILITIES: dict[int | str, dict[str, Any]] = {
    204: {
        "description": "What this server speaks; no authentication needed",
        "headers": _response_headers(
            Tus_Version="Supported tus versions (1.0.0)",
            Tus_Extension="creation,termination,expiration",
            Tus_Max_Size="The largest upload accepted, in bytes",
        ),
    }
}


def _capabilities(max_bytes: int) -> Response:
    return Response(
        status_code=status.HTTP_204_NO_CONTENT,
        headers={
            "Tus-Version": uploads.TUS_VERSION,
            "Tus-Extension": uploads.TUS_EXTENSIONS,
            "Tus-Max-Size": str(max_bytes),
        },
    )


@tus_router.options(
    "/api/events/{eventId}/uploads", status_code=204, responses=CAPABILITIES, description="tus capability discovery."
)
async def upload_capabilities(event_id: EventId, ctx: Ctx) -> Response:
    return _capabilities(ctx.settings.upload_max_bytes)


@tus_router.options(
    "/api/uploads/{uploadId}", status_code=204, responses=CAPABILITIES, description="tus capability discovery."
)
async def upload_capabilities_at_upload(upload_id: UploadId, ctx: Ctx) -> Response:
    return _capabilities(ctx.settings.upload_max_bytes)


def _admin_actor(caller: AuthenticatedAdmin, ip: str) -> Actor:
    return Actor(kind="admin", id=caller.admin.admin_id, ip=ip)


@tus_router.post(
    "/api/events/{eventId}/uploads",
    status_code=201,
    dependencies=[TusRequest],
    openapi_extra=_tus_headers(UPLOAD_LENGTH, UPLOAD_METADATA),
    responses={
        201: {
            "description": "Created; send the bytes to `Location` with PATCH",
            "headers": _response_headers(Location="The upload's URL", Upload_Expires="RFC 9110 date"),
        },
        507: {"model": ErrorResponse, "description": "No disk room for what the open uploads declared"},
    },
    description=(
        "tus creation: `Upload-Length` (bytes) and `Upload-Metadata` (base64 `filename`, optional `filetype`). "
        "Answers 201 with the upload's URL in `Location`; send the bytes there with PATCH."
    ),
)
async def create_upload(event_id: EventId, request: Request, caller: Editor, ctx: Ctx, session: Session) -> Response:
    headers = request.headers
    if "Upload-Defer-Length" in headers:
        raise BadRequest("Upload-Defer-Length is not supported; send Upload-Length", code="invalid_tus_header")
    upload = await uploads.create_upload(
        session,
        ctx.settings,
        event_id=event_id,
        length=uploads.parse_length(headers.get("Upload-Length"), "Upload-Length"),
        metadata=uploads.parse_metadata(headers.get("Upload-Metadata")),
        created_by=caller.admin.admin_id,
    )
    return Response(
        status_code=status.HTTP_201_CREATED,
        headers={
            "Location": f"/api/uploads/{upload.upload_id}",
            "Upload-Expires": uploads.http_date(upload.expires_at),
        },
    )


@tus_router.head(
    "/api/uploads/{uploadId}",
    dependencies=[TusRequest],
    openapi_extra=_tus_headers(),
    responses={
        200: {
            "description": "The upload's state, in headers only",
            "headers": _response_headers(
                Upload_Offset="Bytes received so far",
                Upload_Length="The declared size",
                Upload_Metadata="As sent at creation",
                Upload_Expires="RFC 9110 date",
            ),
        }
    },
    description="tus core: how many bytes the server has (`Upload-Offset`), to resume from there.",
)
async def upload_offset(upload_id: UploadId, _: Editor, ctx: Ctx, session: Session) -> Response:
    upload = await uploads.get_upload(session, upload_id)
    return Response(
        status_code=status.HTTP_200_OK,
        headers={
            "Upload-Offset": str(await uploads.current_offset(ctx.settings, upload)),
            "Upload-Length": str(upload.length),
            "Upload-Metadata": uploads.encode_metadata(upload),
            "Upload-Expires": uploads.http_date(upload.expires_at),
            "Cache-Control": "no-store",
        },
    )


async def _body_until_disconnect(request: Request) -> AsyncIterator[bytes]:
    """The request body as it arrives; a dropped connection simply ends it (what arrived is kept)."""
    try:
        async for chunk in request.stream():
            yield chunk
    except ClientDisconnect:
        return


@tus_router.patch(
    "/api/uploads/{uploadId}",
    status_code=204,
    dependencies=[TusRequest],
    openapi_extra=_tus_headers(UPLOAD_OFFSET),
    responses={
        204: {
            "description": "Appended",
            "headers": _response_headers(Upload_Offset="The new offset", Upload_Expires="RFC 9110 date"),
        }
    },
    description=(
        "tus core: append the body (`Content-Type: application/offset+octet-stream`) at `Upload-Offset`. "
        "When the last byte arrives the file is checked; a file that is not a playable video is refused "
        "with 422 and discarded, a good one becomes the event's new media and starts transcoding. "
        "(The raw body is not declared below: OpenAPI tools have no serializer for tus's media type.)"
    ),
)
async def append_to_upload(
    upload_id: UploadId,
    request: Request,
    caller: Editor,
    ctx: Ctx,
    session: Session,
    ip: ClientIp,
) -> Response:
    # Content-Type and Content-Length describe the raw body; they are not parameters.
    content_type = request.headers.get("content-type", "")
    content_length = request.headers.get("content-length")
    if content_type.split(";")[0].strip().lower() != uploads.OFFSET_CONTENT_TYPE:
        raise UnsupportedMediaType(f"Send the bytes as {uploads.OFFSET_CONTENT_TYPE}")
    received = await service.receive_chunk(
        session,
        ctx.settings,
        upload_id,
        offset=uploads.parse_length(request.headers.get("Upload-Offset"), "Upload-Offset"),
        content_length=None if content_length is None else uploads.parse_length(content_length, "Content-Length"),
        chunks=_body_until_disconnect(request),
        actor=_admin_actor(caller, ip),
    )
    if received.new_asset_id is not None:
        await asyncio.to_thread(enqueue_transcode, received.new_asset_id)
    return Response(
        status_code=status.HTTP_204_NO_CONTENT,
        headers={"Upload-Offset": str(received.offset), "Upload-Expires": uploads.http_date(received.expires_at)},
    )


@tus_router.delete(
    "/api/uploads/{uploadId}",
    status_code=204,
    dependencies=[TusRequest],
    openapi_extra=_tus_headers(),
    description="tus termination: discard an unfinished upload and its bytes.",
)
async def terminate_upload(upload_id: UploadId, _: Editor, ctx: Ctx, session: Session) -> Response:
    await uploads.terminate(session, ctx.settings, upload_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


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
    asset = await posters.poster_from_image(session, storage, event_id, image, content_type, _admin_actor(caller, ip))
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
    asset = await posters.poster_from_frame(ctx, session, storage, event_id, body.at, _admin_actor(caller, ip))
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
    await service.delete_media(session, storage, event_id, _admin_actor(caller, ip))
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
    return json_response(service.playback_out(ctx, await service.playable_asset(session, event_id)))


# --- delivery (the URL layout nginx serves too) -----------------------------------------------------

# What nginx adds to every /media/ answer (deploy/nginx.conf), refusals included: without CORS a browser
# hides a 403 or 404 from the player, which can then only report a network error, not an expired link.
MEDIA_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Length, Content-Range",
}


class MediaRoute(APIRoute):
    """Every media answer carries CORS, errors included (they keep the seed-004 body)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def media_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except (AppError, RequestValidationError) as exc:
                response = await _app_error_response(request, exc)
            response.headers.update(MEDIA_CORS)
            return response

        return media_handler


delivery_router = APIRouter(tags=["media"], route_class=MediaRoute)

MEDIA_CONTENT = {
    content_type: {"schema": {"type": "string", "format": "binary"}}
    for content_type in ("application/vnd.apple.mpegurl", "video/mp4", "video/mp2t", "image/jpeg", "text/vtt")
}


@delivery_router.get(
    "/media/{assetId}/{path:path}",
    responses={
        200: {"description": "The file; playlists and the thumbnails track with signed URIs", "content": MEDIA_CONTENT}
    },
    description="Signed media (`?exp&sig&pfx` from /playback); checked without a database read, like nginx does.",
)
async def serve_media(
    asset_id: AssetId,
    path: str,
    request: Request,
    ctx: Ctx,
    storage: Annotated[MediaStorage, Depends(media_storage)],
) -> Response:
    found = await asyncio.to_thread(delivery.read_media, storage, ctx.urls, asset_id, path, request.url.query)
    headers = {"Cache-Control": found.cache_control}
    if found.file is not None:
        try:  # a live segment can leave the playlist window (and the disk) between the check and the send
            stat = await asyncio.to_thread(os.stat, found.file)
        except OSError:
            raise NotFound("No such media file", code="media_file_not_found") from None
        return FileResponse(found.file, stat_result=stat, media_type=found.content_type, headers=headers)
    if found.stream is not None:
        return StreamingResponse(delivery.iter_stream(found.stream), media_type=found.content_type, headers=headers)
    return Response(found.body, media_type=found.content_type, headers=headers)
