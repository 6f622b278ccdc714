"""Two app instances on one database and one Redis: viewers on either see each other's messages in one order, a ban
made on one closes the person's socket on the other within a second, and a refund closes a paying viewer's chat.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from golive.app import create_app
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.commerce.support import only_payment, paid_viewer, refund
from tests.conftest import SHUTDOWN_TIMEOUT
from tests.engagement.chat.conftest import chat, live_event_id, served, viewer_token
from tests.live_server import free_port
from tests.support import AdminLogin, Factory
from tests.tools import redis_server

pytestmark = pytest.mark.realtime  # deadlines of a second, measured alone


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture
async def instances(settings: Settings, redis_url: str) -> AsyncIterator[list[tuple[FastAPI, str]]]:
    """Two instances, each on its own port: (app, ws:// base)."""
    shared = settings.model_copy(update={"redis_url": redis_url})
    async with AsyncExitStack() as stack:
        started = []
        for _ in range(2):
            app = create_app(shared)
            await stack.enter_async_context(LifespanManager(app, shutdown_timeout=SHUTDOWN_TIMEOUT))
            started.append((app, await stack.enter_async_context(served(app, free_port()))))
        yield started


async def test_viewers_on_two_instances_see_one_conversation_in_one_order(
    factory: Factory, owner: AdminLogin, instances: list[tuple[FastAPI, str]]
) -> None:
    (_, first), (_, second) = instances
    event_id = await live_event_id(factory, owner)
    ada, bob = await viewer_token(factory, event_id), await viewer_token(factory, event_id)
    async with chat(first, event_id, ada) as (ada_chat, _, _), chat(second, event_id, bob) as (bob_chat, _, _):
        for i in range(3):
            await ada_chat.say(f"ada {i}")
            await bob_chat.say(f"bob {i}")
        seen_by_ada = [(await ada_chat.next_of("message"))["message"]["messageId"] for _ in range(6)]
        seen_by_bob = [(await bob_chat.next_of("message"))["message"]["messageId"] for _ in range(6)]
        assert seen_by_ada == seen_by_bob
        assert len(set(seen_by_ada)) == 6


async def test_a_ban_on_one_instance_closes_the_socket_on_the_other_within_a_second(
    factory: Factory, owner: AdminLogin, instances: list[tuple[FastAPI, str]]
) -> None:
    (first_app, _), (_, second) = instances
    event_id = await live_event_id(factory, owner)
    async with chat(second, event_id, await viewer_token(factory, event_id)) as (client, hello, _):
        transport = httpx.ASGITransport(app=first_app, client=("203.0.113.9", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            banned = await http.post(
                f"/api/events/{event_id}/chat/bans",
                json={"personId": hello["you"]["personId"], "kind": "ban"},
                headers=owner.headers,
            )
            assert banned.status_code == 201, banned.text
            started = time.monotonic()  # the ban is committed: from here its delivery is timed
        assert (await client.next_of("error"))["code"] == "banned"
        assert await client.closed_with() == 4403
        assert time.monotonic() - started < 1.0


async def test_a_refund_closes_the_paying_viewers_chat(
    factory: Factory, owner: AdminLogin, ws_base: str, app_ctx: AppContext
) -> None:
    bought = await paid_viewer(factory, owner, factory.http)
    event_id = bought["event"]["eventId"]
    for _ in range(100):  # the local provider's delivery of the payment reaches the app
        async with chat(ws_base, event_id, bought["token"]) as (client, hello, _):
            if hello["type"] == "hello":
                break
        await asyncio.sleep(0.1)
    payment = await only_payment(app_ctx, bought["viewerId"])
    async with chat(ws_base, event_id, bought["token"]) as (client, hello, _):
        assert hello["you"]["canChat"], hello
        assert (await refund(factory.http, owner, payment.payment_id)).status_code == 200
        refused = await client.next_of("error")
        assert refused["code"] == "revoked" and "withdrawn" in refused["message"]
        assert await client.closed_with() == 4403
