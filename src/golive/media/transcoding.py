"""A transcode as a job: claim the asset, report progress and a heartbeat, publish, and recover dead workers.

Huey does not redeliver a task whose worker died, so liveness is kept on the asset row: a processing
asset whose heartbeat went stale is handed back to the queue (`recover_stalled`), up to
`transcode_max_attempts` times. Re-running is safe: `transcode_vod` builds in a hidden folder and
renames it into place only when complete, and a claim succeeds only from `uploaded`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive.automation import service as automation
from golive.automation.models import ExecutionStatus, TriggerType
from golive.media import service
from golive.media.ffmpeg import ProbeResult, ProgressCallback, TranscodeFailed
from golive.media.ladder import Clip, TranscodeResult, transcode_vod
from golive.media.models import AssetStatus, MediaAsset
from golive.media.storage import LocalStorage, MediaStorage, make_storage
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.settings import Settings

log = logging.getLogger("golive.media")


async def _claim(ctx: AppContext, asset_id: str) -> MediaAsset | None:
    """uploaded -> processing, once: a duplicate job, a ready asset or a deleted one is left alone."""
    async with ctx.db.sessionmaker() as session:
        now = utcnow()
        result = await session.execute(
            update(MediaAsset)
            .where(
                MediaAsset.asset_id == asset_id,
                MediaAsset.status == AssetStatus.UPLOADED,
                MediaAsset.deleted_at.is_(None),
            )
            .values(
                status=AssetStatus.PROCESSING,
                attempts=MediaAsset.attempts + 1,
                progress=0.0,
                heartbeat_at=now,
                error=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            await session.rollback()
            return None
        asset = await session.get_one(MediaAsset, asset_id)
        automation.record(
            session,
            event_id=asset.event_id,
            trigger=TriggerType.TRANSCODE,
            action="transcode.start",
            status=ExecutionStatus.PENDING,
            details={"assetId": asset_id, "attempt": asset.attempts},
        )
        await session.commit()
        return asset


class ClaimLost(Exception):
    """This worker's heartbeat went stale and the asset was handed back to the queue: another run owns it."""


class _ProgressReporter:
    """ffmpeg's thread stores the latest percent; the event loop writes it (and the heartbeat) at a steady pace.

    The write counts only for this run's attempt: once it changes nothing, the asset was handed back (a
    worker paused past the stale timeout), and the next report raises ClaimLost, which stops ffmpeg."""

    def __init__(self, ctx: AppContext, asset_id: str, attempt: int, also: ProgressCallback | None) -> None:
        self._ctx = ctx
        self._asset_id = asset_id
        self._attempt = attempt
        self._also = also
        self.latest = 0.0
        self.lost = False

    def __call__(self, percent: float) -> None:
        if self.lost:
            raise ClaimLost(self._asset_id)
        self.latest = percent
        if self._also is not None:
            self._also(percent)

    async def _write(self, progress: float) -> None:
        async with self._ctx.db.sessionmaker() as session:
            now = utcnow()
            result = await session.execute(
                update(MediaAsset)
                .where(
                    MediaAsset.asset_id == self._asset_id,
                    MediaAsset.status == AssetStatus.PROCESSING,
                    MediaAsset.attempts == self._attempt,
                )
                .values(progress=min(progress, 99.9), heartbeat_at=now, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        self.lost = getattr(result, "rowcount", 0) != 1

    async def _run(self) -> None:
        settings = self._ctx.settings
        pace = min(settings.transcode_progress_seconds, settings.transcode_heartbeat_seconds)
        written, last_write = 0.0, time.monotonic()
        while True:
            await asyncio.sleep(pace)
            progress = self.latest
            due = time.monotonic() - last_write >= settings.transcode_heartbeat_seconds
            if progress == written and not due:
                continue
            try:
                await self._write(progress)
            except Exception:  # a busy database delays a progress report; it must not fail the transcode
                log.warning("could not record progress of %s", self._asset_id, exc_info=True)
                continue
            written, last_write = progress, time.monotonic()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self._run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _transcode_into_storage(
    settings: Settings,
    storage: MediaStorage,
    asset_id: str,
    source: Path,
    info: ProbeResult,
    on_progress: ProgressCallback,
    clip: Clip | None = None,
) -> TranscodeResult:
    """Local storage: build in place (published by rename). Object storage: build in a temp folder, upload."""
    if isinstance(storage, LocalStorage):
        return transcode_vod(
            source,
            storage.root / asset_id,
            settings,
            on_progress,
            source_probe=info,
            segment_type=settings.hls_segment_type,
            clip=clip,
        )
    settings.ensure_data_dir()
    with tempfile.TemporaryDirectory(prefix="transcode-", dir=settings.data_dir) as work:
        result = transcode_vod(
            source,
            Path(work) / asset_id,
            settings,
            on_progress,
            source_probe=info,
            segment_type=settings.hls_segment_type,
            clip=clip,
        )
        storage.put_tree(result.out_dir, f"{asset_id}/")
    return result


async def run_transcode(
    ctx: AppContext,
    asset_id: str,
    *,
    storage: MediaStorage | None = None,
    on_progress: ProgressCallback | None = None,
) -> AssetStatus | None:
    """The job: returns the asset's final status, or None when there was nothing to do (or another run took it)."""
    asset = await _claim(ctx, asset_id)
    if asset is None:
        return None
    settings = ctx.settings
    started = time.monotonic()
    log.info("transcode of asset %s (event %s) started, attempt %d", asset_id, asset.event_id, asset.attempts)
    reporter = _ProgressReporter(ctx, asset_id, asset.attempts, on_progress)
    try:
        target = storage if storage is not None else await asyncio.to_thread(make_storage, settings)
        async with reporter.running():
            result = await asyncio.to_thread(
                _transcode_into_storage,
                settings,
                target,
                asset_id,
                service.source_file(settings, asset),
                ProbeResult(**asset.source_probe),
                reporter,
                asset_clip(asset),
            )
        if reporter.lost:
            raise ClaimLost(asset_id)
    except ClaimLost:
        log.warning("transcode of asset %s stopped: its heartbeat went stale and another run took it over", asset_id)
        return None
    except TranscodeFailed as failure:
        last_line = failure.log_tail.strip().splitlines()[-1:] or [""]
        reason = f"{failure}: {last_line[0]}".rstrip(": ")
        log.error("transcode of asset %s failed after %.1f s: %s", asset_id, time.monotonic() - started, reason)
        await _finish_failed(ctx, asset, reason, failure.log_tail)
        return AssetStatus.FAILED
    except Exception as exc:  # storage outage, disk full, ...: the asset says why instead of hanging
        log.exception("transcode of asset %s failed after %.1f s", asset_id, time.monotonic() - started)
        await _finish_failed(ctx, asset, f"{type(exc).__name__}: {exc}", "")
        return AssetStatus.FAILED
    seconds = time.monotonic() - started
    await _finish_ready(ctx, asset, result, seconds)
    log.info(
        "transcode of asset %s finished in %.1f s: %s",
        asset_id,
        seconds,
        ", ".join(rendition.name for rendition in result.renditions),
    )
    return AssetStatus.READY


def asset_clip(asset: MediaAsset) -> Clip | None:
    """The part of the source an asset is made of (a trimmed live replay), or None for all of it."""
    if asset.clip_start is None and asset.clip_end is None:
        return None
    start = asset.clip_start or 0.0
    end = asset.clip_end if asset.clip_end is not None else float(asset.source_probe.get("duration") or 0.0)
    return Clip(start=start, duration=max(0.1, end - start))


async def _finish_ready(ctx: AppContext, claimed: MediaAsset, result: TranscodeResult, seconds: float) -> None:
    async with ctx.db.sessionmaker() as session:
        asset = await session.get_one(MediaAsset, claimed.asset_id)
        now = utcnow()
        asset.status = AssetStatus.READY
        asset.progress = 100.0
        asset.duration = result.duration
        asset.renditions = [
            {"name": r.name, "width": r.width, "height": r.height, "bandwidth": r.bandwidth, "codecs": r.codecs}
            for r in result.renditions
        ]
        asset.master_playlist = result.master_playlist
        asset.poster = result.poster
        asset.thumbnails = result.sprite_vtt
        asset.heartbeat_at = now
        asset.ready_at = now
        asset.error = None
        await service.supersede_older_assets(session, asset, now)
        automation.record(
            session,
            event_id=asset.event_id,
            trigger=TriggerType.TRANSCODE,
            action="transcode.end",
            details={
                "assetId": asset.asset_id,
                "attempt": asset.attempts,
                "seconds": round(seconds, 2),
                "renditions": [r.name for r in result.renditions],
            },
        )
        await session.commit()


async def _finish_failed(ctx: AppContext, claimed: MediaAsset, reason: str, log_tail: str) -> None:
    async with ctx.db.sessionmaker() as session:
        asset = await session.get_one(MediaAsset, claimed.asset_id)
        _mark_failed(session, asset, reason, {"logTail": log_tail[-2000:]} if log_tail else {})
        await session.commit()


def _mark_failed(session: AsyncSession, asset: MediaAsset, reason: str, details: dict[str, str]) -> None:
    asset.status = AssetStatus.FAILED
    asset.error = reason[:2000]
    asset.updated_at = utcnow()
    automation.record(
        session,
        event_id=asset.event_id,
        trigger=TriggerType.TRANSCODE,
        action="transcode.end",
        status=ExecutionStatus.FAILED,
        details={"assetId": asset.asset_id, "attempt": asset.attempts, "reason": asset.error, **details},
    )


async def recover_stalled(session: AsyncSession, settings: Settings, now: datetime | None = None) -> list[str]:
    """Processing assets whose worker stopped beating go back to `uploaded`; returns the ids to re-enqueue.

    Assets left `uploaded` for as long (their job was lost before it started, e.g. a queue outage) are
    returned too, at most once per stale period; a duplicate job is harmless, its claim fails.
    """
    now = now or utcnow()
    cutoff = now - timedelta(seconds=settings.transcode_stale_seconds)
    waiting = await session.scalars(
        select(MediaAsset).where(
            MediaAsset.status == AssetStatus.UPLOADED,
            MediaAsset.deleted_at.is_(None),
            MediaAsset.updated_at < cutoff,
        )
    )
    retry = []
    for asset in list(waiting):
        asset.updated_at = now
        retry.append(asset.asset_id)
    stalled = await session.scalars(
        select(MediaAsset).where(
            MediaAsset.status == AssetStatus.PROCESSING,
            MediaAsset.deleted_at.is_(None),
            MediaAsset.heartbeat_at < cutoff,
        )
    )
    for asset in list(stalled):
        # Conditional, so of several workers recovering at once exactly one hands the asset back
        handed_back = await session.execute(
            update(MediaAsset)
            .where(
                MediaAsset.asset_id == asset.asset_id,
                MediaAsset.status == AssetStatus.PROCESSING,
                MediaAsset.heartbeat_at < cutoff,
            )
            .values(status=AssetStatus.UPLOADED, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(handed_back, "rowcount", 0) != 1:
            continue
        if asset.attempts >= settings.transcode_max_attempts:
            _mark_failed(session, asset, f"The transcode was interrupted {asset.attempts} times; giving up", {})
            continue
        asset.status = AssetStatus.UPLOADED
        asset.updated_at = now
        automation.record(
            session,
            event_id=asset.event_id,
            trigger=TriggerType.TRANSCODE,
            action="transcode.retry",
            status=ExecutionStatus.PENDING,
            details={"assetId": asset.asset_id, "attempt": asset.attempts, "heartbeatAt": _iso(asset.heartbeat_at)},
        )
        retry.append(asset.asset_id)
    await session.commit()
    return retry


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
