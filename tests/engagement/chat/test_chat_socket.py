"""The chat over a real WebSocket: joining (and being refused, with the reason), the history and what a reconnecting
client missed, messages reaching everyone, the rules (length, links, rate, slow mode), and staff posting."""

from __future__ import annotations

import asyncio

import pytest
from websockets.exceptions import InvalidStatus

from golive.engagement.chat.models import ChatMessage
from golive.platform.context import AppContext
from tests.engagement.chat.conftest import NAME_FORM, chat, live_event_id, viewer_token
from tests.support import AdminLogin, Factory


async def test_a_message_reaches_everyone_in_the_room_with_its_authors_name(
    factory: Factory, owner: AdminLogin, ws_base: str
) -> None:
    event_id = await live_event_id(factory, owner, accessType="form", formFields=NAME_FORM)
    ada = await viewer_token(factory, event_id, formData={"name": "Ada"})
    bob = await viewer_token(factory, event_id, formData={"name": "Bob"})
    async with (
        chat(ws_base, event_id, ada) as (ada_chat, hello, history),
        chat(ws_base, event_id, bob) as (bob_chat, _, _),
    ):
        assert hello["you"]["name"] == "Ada" and hello["you"]["canChat"] and not hello["you"]["moderator"]
        assert history == []
        await ada_chat.say("Hello @Bob!")
        got = await bob_chat.next_of("message")
        assert got["message"]["text"] == "Hello @Bob!"
        assert got["message"]["author"]["name"] == "Ada"
        assert got["message"]["mentions"] == ["Bob"]
        echoed = await ada_chat.next_of("message")  # the author sees it in the room's order too
        assert echoed["message"]["messageId"] == got["message"]["messageId"]

        await bob_chat.say("Hi", replyTo=got["message"]["messageId"])
        reply = await ada_chat.next_of("message")
        assert reply["message"]["replyTo"] == got["message"]["messageId"]


async def test_joining_gets_the_last_hundred_and_a_reconnect_gets_what_it_missed(
    factory: Factory, owner: AdminLogin, ws_base: str, app_ctx: AppContext
) -> None:
    event_id = await live_event_id(factory, owner)
    async with app_ctx.db.sessionmaker() as session:
        session.add_all(
            ChatMessage(event_id=event_id, person_id="g:x", author_name="X", text=f"m{i}", mentions=[])
            for i in range(105)
        )
        await session.commit()
    token = await viewer_token(factory, event_id)
    async with chat(ws_base, event_id, token) as (_, _, history):
        assert [m["text"] for m in history] == [f"m{i}" for i in range(5, 105)]
        last_seen = int(history[-10]["messageId"])
    async with chat(ws_base, event_id, token, after=last_seen) as (_, _, missed):
        assert [m["text"] for m in missed] == [f"m{i}" for i in range(96, 105)]

    gone = history[-12]["messageId"]  # removed while the client was away: it is told on coming back
    deleted = await factory.http.delete(f"/api/events/{event_id}/chat/messages/{gone}", headers=owner.headers)
    assert deleted.status_code == 204
    async with chat(ws_base, event_id, token, after=last_seen) as (client, _, _):
        assert (await client.next_of("deleted"))["messageIds"] == [gone]


async def test_who_may_not_join_is_told_why_and_the_socket_closes(
    factory: Factory, owner: AdminLogin, ws_base: str
) -> None:
    event_id = await live_event_id(factory, owner)
    async with chat(ws_base, event_id) as (client, hello, _):
        assert (hello["type"], hello["code"]) == ("error", "viewer_token_missing")
        assert await client.closed_with() == 4401
    async with chat(ws_base, event_id, "forged.token") as (client, hello, _):
        assert hello["code"] == "viewer_token_missing"

    paid = await live_event_id(factory, owner, isPaidEvent=True, priceAmount=500, currency="EUR")
    unpaid = await viewer_token(factory, paid)
    async with chat(ws_base, paid, unpaid) as (client, hello, _):
        assert (hello["type"], hello["code"]) == ("error", "payment_required")
        assert "ticket" in hello["message"]
        assert await client.closed_with() == 4403
    async with chat(ws_base, paid, await viewer_token(factory, event_id)) as (client, hello, _):
        assert hello["code"] == "viewer_token_other_event"
    async with chat(ws_base, "01NOSUCHEVENT0000000000000") as (client, hello, _):
        assert hello["code"] == "event_not_found"
        assert await client.closed_with() == 4404
    with pytest.raises(InvalidStatus):  # not a route at all
        async with chat(ws_base.replace("/api", ""), "x/../../nothing"):
            pass


async def test_the_rules_refuse_with_a_frame_and_keep_nothing(
    factory: Factory, owner: AdminLogin, ws_base: str, app_ctx: AppContext
) -> None:
    event_id = await live_event_id(factory, owner)
    async with chat(ws_base, event_id, await viewer_token(factory, event_id)) as (client, _, _):
        await client.say("x" * 501)
        refused = await client.next_of("error")
        assert (refused["code"], refused["request"]) == ("message_too_long", "message")  # which frame it answers
        await client.say("buy at https://spam.example")
        assert (await client.next_of("error"))["code"] == "links_not_allowed"
        await client.send(type="dance")
        assert (await client.next_of("error"))["code"] == "bad_frame"
        await client.socket.send("not json")
        assert (await client.next_of("error"))["code"] == "bad_frame"
        await client.send(type="ping")
        assert (await client.frame())["type"] == "pong"
    async with app_ctx.db.sessionmaker() as session:
        assert await session.get(ChatMessage, 1) is None


async def test_three_messages_per_two_seconds_then_a_pause_but_staff_are_exempt(
    factory: Factory, owner: AdminLogin, ws_base: str
) -> None:
    event_id = await live_event_id(factory, owner)
    async with chat(ws_base, event_id, await viewer_token(factory, event_id)) as (client, _, _):
        for i in range(4):
            await client.say(f"fast {i}")
        texts, refused = [], None
        while refused is None:
            frame = await client.frame()
            if frame["type"] == "message":
                texts.append(frame["message"]["text"])
            elif frame["type"] == "error":
                refused = frame
        assert refused["code"] == "rate_limited" and refused["details"]["retryAfter"] > 0
        await asyncio.sleep(refused["details"]["retryAfter"] + 0.05)
        await client.say("after the pause")
        assert (await client.next_of("message"))["message"]["text"] in {"after the pause", *texts}

    async with chat(ws_base, event_id, headers=owner.headers) as (host, hello, _):
        assert hello["you"]["moderator"] and hello["you"]["name"]
        for i in range(6):
            await host.say(f"host {i}")
        seen = [(await host.next_of("message"))["message"] for _ in range(6)]
        assert [m["text"] for m in seen] == [f"host {i}" for i in range(6)]
        assert all(m["author"]["moderator"] for m in seen)


async def test_slow_mode_and_accounts_only_and_chat_off(factory: Factory, owner: AdminLogin, ws_base: str) -> None:
    event_id = await live_event_id(factory, owner)
    settings_url = f"/api/events/{event_id}/chat/settings"
    saved = await factory.http.put(settings_url, json={"slowModeSeconds": 30}, headers=owner.headers)
    assert saved.status_code == 200 and saved.json()["slowModeSeconds"] == 30
    async with chat(ws_base, event_id, await viewer_token(factory, event_id)) as (client, hello, _):
        assert hello["settings"]["slowModeSeconds"] == 30 and "blockedTerms" not in hello["settings"]
        await client.say("one")
        await client.next_of("message")
        await client.say("two")
        refused = await client.next_of("error")
        assert refused["code"] == "slow_mode" and 0 < refused["details"]["retryAfter"] <= 30

        await factory.http.put(settings_url, json={"policy": "accounts", "slowModeSeconds": 0}, headers=owner.headers)
        changed = await client.next_of("settings")
        assert changed["settings"]["policy"] == "accounts"
        await client.say("three")
        assert (await client.next_of("error"))["code"] == "account_required"

        await factory.http.put(settings_url, json={"policy": "nobody"}, headers=owner.headers)
        await client.say("four")
        refused = await client.next_of("error")
        assert refused["code"] == "chat_closed" and refused["message"] == "The chat of this event is off"
