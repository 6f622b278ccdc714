"""Delivery: the signed media URL layout that nginx serves too (/media/...), with the same CORS and answers."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.routing import APIRoute

from golive.media import delivery
from golive.media.routes import AssetId, app_error_response, media_storage
from golive.media.storage import MediaStorage
from golive.platform.deps import Ctx
from golive.platform.errors import AppError, NotFound

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
                response = await app_error_response(request, exc)
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
