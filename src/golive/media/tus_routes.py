"""The tus 1.0.0 upload endpoints (creation, offset, append, termination) for an event's video."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import ClientDisconnect

from golive.identity.staff.auth import Editor
from golive.media import service, uploads
from golive.media.routes import UploadId, admin_actor, app_error_response
from golive.media.tasks import enqueue_transcode
from golive.platform.deps import ClientIp, Ctx, EventId, Session
from golive.platform.errors import AppError, BadRequest, PreconditionFailed, UnsupportedMediaType
from golive.platform.schemas import ErrorResponse


class TusRoute(APIRoute):
    """Every tus response carries Tus-Resumable, errors included (they keep the seed-004 body)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def tus_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except (AppError, RequestValidationError) as exc:
                response = await app_error_response(request, exc)
            response.headers["Tus-Resumable"] = uploads.TUS_VERSION
            if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
                response.headers["Tus-Version"] = uploads.TUS_VERSION
            return response

        return tus_handler


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
        actor=admin_actor(caller, ip),
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
