"""The bell's live stream over real HTTP: the unread count at once, a notification another process wrote within
the poll interval, one this process wrote (and a read) at once, and the end of the stream at sign-out."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from golive.notify import service
from golive.notify.models import NotificationType
from golive.notify.service import NewNotification
from golive.platform.context import AppContext
from golive.platform.db import Database
from golive.platform.settings import Settings
from tests.commerce.conftest import loopback  # noqa: F401  (the app on a real port)
from tests.identity.accounts.conftest import Accounts
from tests.identity.accounts.test_account_rights import bearer
from tests.live_server import free_port
from tests.support import sse_events

pytestmark = pytest.mark.usefixtures("loopback")

POLL_SECONDS = 0.5
NEVER = 60.0  # a poll that never comes within a test: what arrives was woken by the commit


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    poll = request.node.get_closest_marker("poll_seconds")
    seconds = poll.args[0] if poll else POLL_SECONDS
    return settings.model_copy(update={"host": "127.0.0.1", "port": free_port(), "notification_poll_seconds": seconds})


async def test_the_stream_finds_what_another_process_wrote_and_ends_at_sign_out(
    accounts: Accounts, app_ctx: AppContext, settings: Settings, database_url: str
) -> None:
    token = await accounts.signed_up("ada@example.com")
    account_id = (await accounts.me(token)).json()["accountId"]
    worker_db = Database(database_url)  # another process's view: its commits send no notice this app hears
    url = f"{settings.base_url}/api/account/notifications/stream"
    seen: list[tuple[str, Any]] = []
    try:
        async with (
            httpx.AsyncClient(timeout=httpx.Timeout(10)) as http,
            http.stream("GET", url, headers=bearer(token)) as stream,
        ):
            assert stream.status_code == 200
            events = sse_events(stream.aiter_lines())
            seen.append(await anext(events))
            assert seen[-1] == ("unread", {"unread": 0})

            async with worker_db.sessionmaker() as session:  # a reminder, as the job worker writes it
                await service.notify(
                    session, account_id, NewNotification(NotificationType.EVENT_LIVE, "Launch is live now")
                )
                await session.commit()
            name, data = await asyncio.wait_for(anext(events), 5 * POLL_SECONDS)
            assert (name, data["title"], data["type"]) == ("notification", "Launch is live now", "event_live")
            assert await anext(events) == ("unread", {"unread": 1})

            read = await http.post(
                f"{settings.base_url}/api/account/notifications/read", json={}, headers=bearer(token)
            )
            assert read.json() == {"unread": 0}
            assert await asyncio.wait_for(anext(events), 5) == ("unread", {"unread": 0})

            out = await http.post(
                f"{settings.base_url}/api/account/logout", json={"everywhere": True}, headers=bearer(token)
            )
            assert out.status_code == 204, out.text
            assert await asyncio.wait_for(anext(events), 5 * POLL_SECONDS) == ("signed_out", {})
            assert [item async for item in events] == []  # ... and the stream ended there
    finally:
        await worker_db.dispose()


@pytest.mark.poll_seconds(NEVER)
async def test_a_commit_in_this_process_wakes_the_stream_at_once(
    accounts: Accounts, app_ctx: AppContext, settings: Settings
) -> None:
    token = await accounts.signed_up("ada@example.com")
    account_id = (await accounts.me(token)).json()["accountId"]
    url = f"{settings.base_url}/api/account/notifications/stream"
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(10)) as http,
        http.stream("GET", url, headers=bearer(token)) as stream,
    ):
        events = sse_events(stream.aiter_lines())
        assert await anext(events) == ("unread", {"unread": 0})
        async with app_ctx.db.sessionmaker() as session:  # a receipt, as a payment's unit of work writes it
            note = NewNotification(NotificationType.PURCHASE_RECEIPT, "Payment received: Launch", dedupe_key="paid:1")
            assert await service.notify(session, account_id, note)
            await session.commit()
        name, data = await asyncio.wait_for(anext(events), 5)
        assert (name, data["title"]) == ("notification", "Payment received: Launch")
        assert await asyncio.wait_for(anext(events), 5) == ("unread", {"unread": 1})

        read = await http.post(f"{settings.base_url}/api/account/notifications/read", json={}, headers=bearer(token))
        assert read.json() == {"unread": 0}  # another tab's bell follows
        assert await asyncio.wait_for(anext(events), 5) == ("unread", {"unread": 0})
