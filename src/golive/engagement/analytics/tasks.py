"""Periodic analytics jobs: closing sessions whose player vanished, and the retention roll-up."""

from __future__ import annotations

from huey import crontab

from golive.engagement.analytics import service
from golive.platform.jobs import huey, run_job


@huey.periodic_task(crontab(minute="*"))
def close_silent_playback_sessions() -> int:
    return run_job(service.close_silent_sessions)


@huey.periodic_task(crontab(minute="23"))
def roll_up_expired_telemetry() -> int:
    return run_job(service.roll_up_expired_sessions)
