"""Event passwords: checked off the event loop, under per-browser, per-network and per-event budgets.

The per-event budget stops guessing spread over many addresses. Once it is spent, only a network
with no wrong password for this event in the window may still try (viewers mostly type it right the
first time), so an attacker cannot close the event to everyone; the admin is told in the automation
log and the event editor (docs/decisions.md).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from golive.access.gates import Gate
from golive.automation import service as automation
from golive.automation.models import ExecutionStatus, TriggerType
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import Forbidden
from golive.platform.passwords import verify_password
from golive.platform.ratelimit import network_key

log = logging.getLogger("golive.access")

PASSWORD_SCOPE = "viewer-password"
BUDGET_SPENT_ACTION = "password.budget_spent"


async def check_password(ctx: AppContext, gate: Gate, client_viewer_id: str, password: str, ip: str) -> None:
    """Raises 429 past a budget and 403 for a wrong password; the hash stays on the server."""
    settings = ctx.settings
    limiter = ctx.limiter
    window = settings.viewer_password_window_seconds
    per_ip = settings.viewer_password_max_failures_per_ip
    per_event = settings.viewer_password_max_failures_per_event
    source = network_key(ip)
    viewer_key = f"viewer:{gate.event_id}:{client_viewer_id}"
    event_key = f"event:{gate.event_id}"
    source_on_event_key = f"event:{gate.event_id}:from:{source}"
    message = "Too many wrong passwords; try again later"

    event_spent = per_event and await limiter.used(PASSWORD_SCOPE, event_key, per_event, window) >= per_event
    if event_spent and await limiter.used(PASSWORD_SCOPE, source_on_event_key, per_ip, window) > 0:
        raise await limiter.refusal(PASSWORD_SCOPE, event_key, per_event, window, message)
    budgets = [(viewer_key, settings.viewer_password_max_failures), (f"ip:{source}", per_ip)]
    await limiter.acquire(PASSWORD_SCOPE, budgets, window, message)
    # argon2 takes tens of milliseconds of CPU: off the event loop, so other requests keep flowing.
    if await asyncio.to_thread(verify_password, gate.password_hash, password):
        await limiter.reset(PASSWORD_SCOPE, viewer_key, settings.viewer_password_max_failures, window)
        return
    await limiter.count(PASSWORD_SCOPE, source_on_event_key, per_ip, window)
    if per_event and await limiter.count(PASSWORD_SCOPE, event_key, per_event, window) == 0:
        await _report_budget_spent(ctx, gate.event_id, per_event, window)
    raise Forbidden(
        "The password is wrong", code="wrong_password", details={"fields": {"password": "The password is wrong"}}
    )


async def _report_budget_spent(ctx: AppContext, event_id: str, failures: int, window: int) -> None:
    """Once per window (across instances, through the limiter): a log line and an automation entry."""
    if await ctx.limiter.count(PASSWORD_SCOPE, f"reported:{event_id}", 1, window) is None:
        return
    until = utcnow() + timedelta(seconds=window)
    log.warning(
        "event %s: %d wrong passwords in %d s; only addresses without a wrong guess may try until %s",
        event_id,
        failures,
        window,
        until.isoformat(timespec="seconds"),
    )
    async with ctx.db.session() as session:
        automation.record(
            session,
            event_id=event_id,
            trigger=TriggerType.SECURITY,
            action=BUDGET_SPENT_ACTION,
            status=ExecutionStatus.FAILED,
            details={"failures": failures, "windowSeconds": window, "until": until.isoformat()},
        )
