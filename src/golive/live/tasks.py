"""Live jobs: turn a finished recording into the replay, re-queue lost ones, purge deleted events' files."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta

from huey import crontab
from sqlalchemy import select, update

from golive.events.models import Event
from golive.live import recording
from golive.live.models import LiveInput, RecordingStatus
from golive.live.packaging.packager import output_dir, work_dir
from golive.media import transcoding
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.jobs import huey, run_job

log = logging.getLogger("golive.live")

# A recording left pending this long lost its job (queue outage, worker restart): queue it again.
PENDING_RETRY_SECONDS = 120
# A join that has not finished in this long died with its worker.
PROCESSING_STALE_SECONDS = 3600


async def _finalize_and_transcode(ctx: AppContext, live_input_id: str) -> None:
    asset_id = await recording.finalize_recording(ctx, live_input_id)
    if asset_id is not None:
        await transcoding.run_transcode(ctx, asset_id)


@huey.task()
def finalize_recording(live_input_id: str) -> None:
    run_job(lambda ctx: _finalize_and_transcode(ctx, live_input_id))


def enqueue_finalize_recording(live_input_id: str) -> None:
    """A queue outage must not lose the replay: the minute task re-queues recordings left pending."""
    try:
        finalize_recording(live_input_id)
    except Exception:
        log.exception("could not queue the recording of %s; the recovery task will retry", live_input_id)


async def _recover(ctx: AppContext) -> list[str]:
    now = utcnow()
    async with ctx.db.sessionmaker() as session:
        await session.execute(
            update(LiveInput)
            .where(
                LiveInput.recording_status == RecordingStatus.PROCESSING,
                LiveInput.updated_at < now - timedelta(seconds=PROCESSING_STALE_SECONDS),
            )
            .values(
                recording_status=RecordingStatus.PENDING,
                updated_at=now - timedelta(seconds=PENDING_RETRY_SECONDS + 1),
            )
            .execution_options(synchronize_session=False)
        )
        waiting = await session.scalars(
            select(LiveInput).where(
                LiveInput.recording_status == RecordingStatus.PENDING,
                LiveInput.updated_at < now - timedelta(seconds=PENDING_RETRY_SECONDS),
            )
        )
        ids = []
        for live_input in list(waiting):
            live_input.updated_at = now
            ids.append(live_input.live_input_id)
        await session.commit()
        return ids


@huey.periodic_task(crontab(minute="*"))
def recover_live_recordings() -> None:
    for live_input_id in run_job(_recover):
        finalize_recording(live_input_id)


async def _purge(ctx: AppContext) -> list[str]:
    """Recordings and live segments of events deleted longer ago than the media grace period."""
    cutoff = utcnow() - timedelta(hours=ctx.settings.delete_grace_hours)
    async with ctx.db.sessionmaker() as session:
        rows = await session.scalars(
            select(LiveInput.live_input_id)
            .join(Event, Event.event_id == LiveInput.event_id)
            .where(Event.deleted_at.is_not(None), Event.deleted_at <= cutoff)
        )
        ids = list(rows)
    for live_input_id in ids:
        shutil.rmtree(work_dir(ctx.settings, live_input_id), ignore_errors=True)
        shutil.rmtree(output_dir(ctx.settings, live_input_id), ignore_errors=True)
    return ids


@huey.periodic_task(crontab(minute="*/15"))
def purge_deleted_live_media() -> None:
    run_job(_purge)
