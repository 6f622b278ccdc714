"""The scheduler: every minute, move events whose scheduled time has come."""

from __future__ import annotations

from huey import crontab

from golive.events import service
from golive.events.models import EventStatus
from golive.platform.context import AppContext
from golive.platform.jobs import huey, run_job


async def _advance(ctx: AppContext) -> list[tuple[str, EventStatus]]:
    async with ctx.db.sessionmaker() as session:
        return await service.advance_due_events(session)


@huey.periodic_task(crontab(minute="*"))
def advance_scheduled_events() -> list[tuple[str, EventStatus]]:
    return run_job(_advance)
