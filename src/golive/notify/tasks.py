"""The reminder sweep, every minute (golive.notify.reminders)."""

from __future__ import annotations

from huey import crontab

from golive.notify import reminders
from golive.platform.jobs import huey, run_job


@huey.periodic_task(crontab(minute="*"))
def send_due_reminders() -> int:
    return run_job(reminders.sweep)
