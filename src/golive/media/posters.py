"""The poster of an event's video: a frame the admin picks (a time in the video) or an image they upload,
instead of the frame the transcode took at 10 %."""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from golive.audit.actor import Actor
from golive.media import service
from golive.media.ffmpeg import find_tools
from golive.media.models import MediaAsset
from golive.media.storage import MediaStorage
from golive.platform.context import AppContext
from golive.platform.errors import BadRequest, Conflict, UnsupportedMediaType

FRAME_TIMEOUT_SECONDS = 60
POSTER_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
POSTER_MAX_WIDTH = 1920


def _one_jpeg(input_args: list[str], scale: str, target: Path) -> str | None:
    """ffmpeg writes one JPEG frame; None on success, else its last error line."""
    completed = subprocess.run(
        [
            find_tools().ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y", *input_args,
            "-frames:v", "1", "-vf", f"{scale},setsar=1", "-q:v", "3", str(target),
        ],
        capture_output=True,
        timeout=FRAME_TIMEOUT_SECONDS,
        check=False,
    )  # fmt: skip
    if completed.returncode == 0 and target.exists() and target.stat().st_size > 0:
        return None
    return (completed.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["nothing came out"])[0]


def grab_frame(source: Path, at: float, target: Path, width: int, height: int) -> None:
    """One JPEG of `source` at `at` seconds, no larger than width x height (input-side seek: fast)."""
    scale = f"scale=w={width}:h={height}:force_original_aspect_ratio=decrease"
    error = _one_jpeg(["-ss", f"{at:.3f}", "-i", str(source)], scale, target)
    if error is not None:
        raise Conflict(f"Could not take a frame of the video: {error}", code="poster_frame_failed")


def reencode_image(image: Path, target: Path) -> None:
    """An uploaded image, decoded and written again as a JPEG at most POSTER_MAX_WIDTH wide: what is
    stored is always a clean JPEG, never the bytes as sent."""
    error = _one_jpeg(["-i", str(image)], f"scale=w='min({POSTER_MAX_WIDTH},iw)':h=-2", target)
    if error is not None:
        message = "This file is not an image we can read (use JPEG, PNG or WebP)"
        raise BadRequest(message, code="poster_not_an_image", details={"fields": {"poster": message}})


def _poster_name() -> str:
    """A new file name each time, so no cache (browser, CDN) keeps showing the previous poster."""
    return f"poster-{time.time_ns()}.jpg"


def _frame_into_storage(ctx: AppContext, storage: MediaStorage, asset: MediaAsset, at: float) -> str:
    name = _poster_name()
    top = max(asset.renditions, key=lambda rendition: int(rendition["height"]), default=None)
    width, height = (int(top["width"]), int(top["height"])) if top else (1920, 1080)
    source = service.source_file(ctx.settings, asset)
    # A trimmed replay's times count from its own start.
    offset = asset.clip_start or 0.0
    with tempfile.TemporaryDirectory(prefix="poster-") as work:
        frame = Path(work) / name
        grab_frame(source, offset + at, frame, width, height)
        storage.put_file(frame, f"{asset.asset_id}/{name}")
    return name


async def poster_from_frame(
    ctx: AppContext, session: AsyncSession, storage: MediaStorage, event_id: str, at: float, actor: Actor
) -> MediaAsset:
    """The ready video's poster becomes its frame at `at` seconds."""
    asset = await service.playable_asset(session, event_id)
    duration = asset.duration or 0.0
    if not 0 <= at <= duration:
        message = f"Choose a time between 0 and {duration:.1f} seconds"
        raise BadRequest(message, code="validation_error", details={"fields": {"at": message}})
    if not service.source_file(ctx.settings, asset).exists():
        raise Conflict("The original upload of this video is gone; upload it again", code="poster_source_missing")
    name = await asyncio.to_thread(_frame_into_storage, ctx, storage, asset, at)
    return await _use_poster(session, asset, name, actor, {"at": at})


def _image_into_storage(storage: MediaStorage, asset: MediaAsset, image: bytes) -> str:
    name = _poster_name()
    with tempfile.TemporaryDirectory(prefix="poster-") as work:
        sent, clean = Path(work) / "sent", Path(work) / name
        sent.write_bytes(image)
        reencode_image(sent, clean)
        storage.put_file(clean, f"{asset.asset_id}/{name}")
    return name


async def poster_from_image(
    session: AsyncSession, storage: MediaStorage, event_id: str, image: bytes, content_type: str, actor: Actor
) -> MediaAsset:
    """An uploaded image (JPEG, PNG or WebP) becomes the ready video's poster."""
    if content_type.split(";")[0].strip().lower() not in POSTER_IMAGE_TYPES:
        raise UnsupportedMediaType("Send the poster as image/jpeg, image/png or image/webp", code="poster_type")
    asset = await service.playable_asset(session, event_id)
    name = await asyncio.to_thread(_image_into_storage, storage, asset, image)
    return await _use_poster(session, asset, name, actor, {"uploaded": True, "bytes": len(image)})


async def _use_poster(
    session: AsyncSession, asset: MediaAsset, name: str, actor: Actor, how: dict[str, object]
) -> MediaAsset:
    before = asset.poster
    asset.poster = name
    service.audit_media(session, actor, "media.poster", asset, after={"poster": name, "was": before, **how})
    await session.commit()
    await session.refresh(asset)
    return asset
