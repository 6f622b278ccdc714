"""An account's open notifications stream (SSE): its unread count and each new notification, as they come.

A commit that adds or reads one of the account's notifications wakes the stream at once (the notice, on every
instance); a notification written by a process that does not hear the notices (the job worker without Redis)
is found by the stream's own look every GOLIVE_NOTIFICATION_POLL_SECONDS. A session that ends (signed out here
or everywhere, the account disabled) ends the stream at its next look.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from golive.identity.accounts.sessions import live_account
from golive.notify import service
from golive.notify.schemas import notification_out
from golive.platform.context import AppContext


async def notification_events(ctx: AppContext, account_id: str, session_id: str) -> AsyncIterator[dict[str, Any]]:
    wake = asyncio.Event()

    def heard(message: str) -> None:
        if message == account_id:
            wake.set()

    ctx.db.notices.listen(service.NEW_NOTIFICATION_TOPIC, heard)
    try:
        async with ctx.db.sessionmaker() as session:
            seen = await service.newest_id(session, account_id)
        sent_unread: int | None = None
        while True:
            wake.clear()
            async with ctx.db.sessionmaker() as session:
                if await live_account(session, session_id) is None:
                    yield {"event": "signed_out", "data": "{}"}
                    return
                new = await service.newer_than(session, account_id, seen)
                unread = await service.unread_count(session, account_id)
            for row in new:
                seen = row.notification_id
                yield {"event": "notification", "data": notification_out(row).model_dump_json(by_alias=True)}
            if unread != sent_unread:
                sent_unread = unread
                yield {"event": "unread", "data": json.dumps({"unread": unread})}
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), ctx.settings.notification_poll_seconds)
    finally:
        ctx.db.notices.unlisten(service.NEW_NOTIFICATION_TOPIC, heard)
