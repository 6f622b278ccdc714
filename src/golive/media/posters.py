"""The poster of an event's video: a frame the admin picks (a time in the video), instead of the one the
transcode took at 10 %."""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from golive.context import AppContext
from golive.errors import BadRequest, Conflict
from golive.events.service import Actor
from golive.media import service
from golive.media.ffmpeg import find_tools
from golive.media.models import MediaAsset
from golive.media.storage import MediaStorage

FRAME_TIMEOUT_SECONDS = 60


def grab_frame(source: Path, at: float, target: Path, width: int, height: int) -> None:
    """One JPEG of `source` at `at` seconds, no larger than width x height (input-side seek: fast)."""
    completed = subprocess.run(
        [
            find_tools().ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y",
            "-ss", f"{at:.3f}", "-i", str(source), "-frames:v", "1",
            "-vf", f"scale=w={width}:h={height}:force_original_aspect_ratio=decrease,setsar=1",
            "-q:v", "3", str(target),
        ],
        capture_output=True,
        timeout=FRAME_TIMEOUT_SECONDS,
        check=False,
    )  # fmt: skip
    if completed.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        tail = completed.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no frame there"]
        raise Conflict(f"Could not take a frame of the video: {tail[0]}", code="poster_frame_failed")


def _frame_into_storage(ctx: AppContext, storage: MediaStorage, asset: MediaAsset, at: float) -> str:
    """A new file name each time, so no cache (browser, CDN) keeps showing the previous poster."""
    name = f"poster-{time.time_ns()}.jpg"
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
    before = asset.poster
    asset.poster = name
    service.audit_media(session, actor, "media.poster", asset, after={"poster": name, "at": at, "was": before})
    await session.commit()
    await session.refresh(asset)
    return asset
