"""Media jobs: the transcode, the recovery of transcodes whose worker died, and the cleanup of old media."""

from __future__ import annotations

import logging

from huey import crontab

from golive.media import service, transcoding
from golive.media.storage import make_storage
from golive.platform.context import AppContext
from golive.platform.jobs import frequent_check, huey, run_job

log = logging.getLogger("golive.media")


@huey.task()
def transcode_asset(asset_id: str) -> None:
    run_job(lambda ctx: transcoding.run_transcode(ctx, asset_id))


def enqueue_transcode(asset_id: str) -> None:
    """Called once the asset is committed. A queue outage must not fail the finished upload:
    the recovery check (every GOLIVE_TRANSCODE_RECOVERY_SECONDS) enqueues assets left waiting."""
    try:
        transcode_asset(asset_id)
    except Exception:
        log.exception("could not enqueue the transcode of %s; the recovery task will retry", asset_id)


async def _recover(ctx: AppContext) -> list[str]:
    async with ctx.db.sessionmaker() as session:
        return await transcoding.recover_stalled(session, ctx.settings)


@frequent_check(lambda settings: settings.transcode_recovery_seconds)
def recover_stalled_transcodes() -> None:
    """Huey never redelivers the task of a dead worker: the asset's stale heartbeat tells us instead.
    Every worker runs this; `recover_stalled` hands each asset back once however many run it at once."""
    for asset_id in run_job(_recover):
        log.warning("transcode of asset %s re-queued: its worker stopped beating, or its job was lost", asset_id)
        transcode_asset(asset_id)


async def _clean_up(ctx: AppContext) -> None:
    async with ctx.db.sessionmaker() as session:
        await service.purge_deleted_media(session, ctx.settings, make_storage(ctx.settings))
        await service.expire_uploads(session, ctx.settings)


@huey.periodic_task(crontab(minute="*/15"))
def clean_up_media() -> None:
    """Deleted media past the grace period, and tus uploads past their expiry."""
    run_job(_clean_up)
