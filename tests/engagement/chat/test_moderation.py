"""Moderation seen from the room: bans close sockets (and keep them out), timeouts pause posting, deletions, clearing
and hiding reach everyone; blocked terms mask or hold; reports and held messages go through the queue; every
action is in the moderation log; the transcript keeps everything. Staff over REST, moderators over the socket."""

from __future__ import annotations

import csv
import io
import time

import pytest

from golive.identity.staff.models import AdminRole
from tests.engagement.chat.conftest import NAME_FORM, chat, live_event_id, viewer_token
from tests.support import AdminLogin, Factory, assert_error


@pytest.mark.realtime  # "within a second": measured alone, not beside the parallel lane's load
async def test_a_ban_closes_the_persons_sockets_at_once_and_keeps_them_out(
    factory: Factory, owner: AdminLogin, ws_base: str
) -> None:
    event_id = await live_event_id(factory, owner, accessType="form", formFields=NAME_FORM)
    troll = await viewer_token(factory, event_id, formData={"name": "Troll"})
    fan = await viewer_token(factory, event_id, formData={"name": "Fan"})
    async with chat(ws_base, event_id, troll) as (troll_chat, _, _), chat(ws_base, event_id, fan) as (fan_chat, _, _):
        await troll_chat.say("spam")
        person_id = (await fan_chat.next_of("message"))["message"]["author"]["personId"]
        banned = await factory.http.post(
            f"/api/events/{event_id}/chat/bans",
            json={"personId": person_id, "kind": "ban", "reason": "spam"},
            headers=owner.headers,
        )
        assert banned.status_code == 201, banned.text
        started = time.monotonic()  # the ban is committed: from here its delivery is timed
        assert banned.json()["name"] == "Troll" and banned.json()["until"] is None
        assert (await troll_chat.next_of("error"))["code"] == "banned"
        assert await troll_chat.closed_with() == 4403
        assert time.monotonic() - started < 1.0
        await fan_chat.send(type="ping")
        assert (await fan_chat.next_of("pong"))["type"] == "pong"  # the room goes on
    async with chat(ws_base, event_id, troll) as (again, hello, _):
        assert (hello["type"], hello["code"]) == ("error", "banned")
        assert await again.closed_with() == 4403

    listed = await factory.http.get(f"/api/events/{event_id}/chat/bans", headers=owner.headers)
    assert [b["personId"] for b in listed.json()["items"]] == [person_id]
    lifted = await factory.http.delete(f"/api/events/{event_id}/chat/bans/{person_id}", headers=owner.headers)
    assert lifted.status_code == 204
    async with chat(ws_base, event_id, troll) as (_, hello, _):
        assert hello["type"] == "hello" and hello["you"]["canChat"]
    assert_error(
        await factory.http.delete(f"/api/events/{event_id}/chat/bans/{person_id}", headers=owner.headers),
        404,
        "chat_restriction_not_found",
    )


async def test_a_timeout_pauses_posting_but_not_reading(factory: Factory, owner: AdminLogin, ws_base: str) -> None:
    event_id = await live_event_id(factory, owner)
    async with (
        chat(ws_base, event_id, await viewer_token(factory, event_id)) as (client, hello, _),
        chat(ws_base, event_id, headers=owner.headers) as (host, _, _),
    ):
        person_id = hello["you"]["personId"]
        assert_error(
            await factory.http.post(
                f"/api/events/{event_id}/chat/bans",
                json={"personId": person_id, "kind": "timeout"},
                headers=owner.headers,
            ),
            422,
            "validation_error",
        )
        timed = await factory.http.post(
            f"/api/events/{event_id}/chat/bans",
            json={"personId": person_id, "kind": "timeout", "seconds": 600},
            headers=owner.headers,
        )
        assert timed.status_code == 201
        notice = await client.next_of("error")
        assert notice["code"] == "timed_out" and notice["details"]["until"].endswith("Z")
        told = (await host.next_of("restricted"))["restriction"]  # the other moderators' lists follow
        assert (told["personId"], told["kind"]) == (person_id, "timeout")
        await client.say("still here?")
        refused = await client.next_of("error")
        assert refused["code"] == "timed_out" and refused["details"]["until"]
        await factory.http.post(f"/api/events/{event_id}/chat/clear", json={}, headers=owner.headers)
        assert (await client.next_of("cleared"))["type"] == "cleared"  # still reading
        lifted = await factory.http.delete(f"/api/events/{event_id}/chat/bans/{person_id}", headers=owner.headers)
        assert lifted.status_code == 204
        assert (await client.next_of("restored"))["type"] == "restored"
        assert (await host.next_of("lifted"))["personId"] == person_id
        await client.say("back again")
        assert (await client.next_of("message"))["message"]["text"] == "back again"


async def test_deleting_clearing_and_hiding_reach_everyone_and_the_log(
    factory: Factory, owner: AdminLogin, ws_base: str
) -> None:
    event_id = await live_event_id(factory, owner)
    token = await viewer_token(factory, event_id)
    async with (
        chat(ws_base, event_id, token) as (client, _, _),
        chat(ws_base, event_id, headers=owner.headers) as (
            host,
            _,
            _,
        ),
    ):
        await client.say("one")
        first = (await host.next_of("message"))["message"]
        await client.say("two")
        await host.next_of("message")
        await host.send(type="delete", messageId=first["messageId"], reason="off topic")
        assert (await client.next_of("deleted"))["messageIds"] == [first["messageId"]]
        await host.send(type="pin", messageId=first["messageId"])
        assert (await host.next_of("error"))["code"] == "chat_message_not_visible"
        await host.send(type="hide", personId=first["author"]["personId"])
        assert len((await client.next_of("deleted"))["messageIds"]) == 1  # "two" (one was gone already)

        await client.send(type="delete", messageId=first["messageId"])  # a viewer is no moderator
        refused = await client.next_of("error")
        assert refused["code"] == "not_moderator" and "moderators" in refused["message"]

    async with chat(ws_base, event_id, token) as (_, _, history):
        assert history == []
    log = (await factory.http.get(f"/api/events/{event_id}/chat/log", headers=owner.headers)).json()["items"]
    assert [entry["action"] for entry in log] == ["hide", "delete"]
    assert log[1]["reason"] == "off topic" and log[1]["moderatorName"]

    transcript = await factory.http.get(f"/api/events/{event_id}/chat/transcript", headers=owner.headers)
    assert [(m["text"], m["status"]) for m in transcript.json()["items"]] == [("one", "deleted"), ("two", "deleted")]
    as_csv = await factory.http.get(f"/api/events/{event_id}/chat/transcript?format=csv", headers=owner.headers)
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [row["text"] for row in rows] == ["one", "two"]


async def test_blocked_terms_mask_or_hold_and_the_queue_settles_them(
    factory: Factory, owner: AdminLogin, ws_base: str
) -> None:
    event_id = await live_event_id(factory, owner)
    settings_url = f"/api/events/{event_id}/chat/settings"
    saved = await factory.http.put(
        settings_url, json={"blockedTerms": [" Darn ", "darn", "heck"]}, headers=owner.headers
    )
    assert saved.json()["blockedTerms"] == ["darn", "heck"]
    async with (
        chat(ws_base, event_id, await viewer_token(factory, event_id)) as (client, _, _),
        chat(ws_base, event_id, headers=owner.headers) as (host, hello, _),
    ):
        assert hello["settings"]["blockedTerms"] == ["darn", "heck"]  # moderators see the list
        await client.say("darn it")
        assert (await client.next_of("message"))["message"]["text"] == "**** it"

        await factory.http.put(settings_url, json={"blockedTermAction": "hold"}, headers=owner.headers)
        await client.say("oh heck")
        held = await client.next_of("held")
        assert (await host.next_of("held"))["message"]["messageId"] == held["message"]["messageId"]
        queued = (await host.next_of("report"))["report"]  # the hold is in the moderators' queue at once
        assert (queued["reportedBy"], queued["message"]["text"]) == ("filter", "oh heck")
        queue = (await factory.http.get(f"/api/events/{event_id}/chat/reports", headers=owner.headers)).json()["items"]
        assert [(r["reportedBy"], r["message"]["text"]) for r in queue] == [("filter", "oh heck")]
        settled = await factory.http.post(
            f"/api/events/{event_id}/chat/reports/{queue[0]['reportId']}",
            json={"status": "rejected"},
            headers=owner.headers,
        )
        assert settled.status_code == 204
        assert (await client.next_of("message"))["message"]["text"] == "oh heck"  # let through
        told = await host.next_of("report_settled")  # every console's queue drops it
        assert (told["reportId"], told["status"]) == (queue[0]["reportId"], "rejected")

        await client.say("nice one")
        reported = (await host.next_of("message"))["message"]
        await client.send(type="report", messageId=reported["messageId"], reason="rude")
        assert (await client.next_of("reported"))["messageId"] == reported["messageId"]
        queued = (await host.next_of("report"))["report"]  # the moderators hear of it at once
        assert (queued["reason"], queued["message"]["messageId"]) == ("rude", reported["messageId"])
        queue = (await factory.http.get(f"/api/events/{event_id}/chat/reports", headers=owner.headers)).json()["items"]
        assert [r["reason"] for r in queue] == ["rude"]
        await factory.http.post(
            f"/api/events/{event_id}/chat/reports/{queue[0]['reportId']}",
            json={"status": "approved"},
            headers=owner.headers,
        )
        assert (await client.next_of("deleted"))["messageIds"] == [reported["messageId"]]
    assert (await factory.http.get(f"/api/events/{event_id}/chat/reports", headers=owner.headers)).json()["items"] == []


async def test_the_rest_side_needs_a_role_and_refuses_bad_input(factory: Factory, owner: AdminLogin) -> None:
    event_id = await live_event_id(factory, owner)
    base = f"/api/events/{event_id}/chat"
    assert_error(await factory.http.get(f"{base}/settings"), 401, "not_authenticated")
    assert_error(await factory.http.get(f"{base}/transcript"), 401, "not_authenticated")
    editor = await factory.admin(AdminRole.EDITOR)
    assert (await factory.http.get(f"{base}/log", headers=editor.headers)).status_code == 200
    assert_error(
        await factory.http.post(f"{base}/moderators", json={"email": "mod@example.com"}, headers=editor.headers),
        403,
        "insufficient_role",
    )
    assert_error(
        await factory.http.put(f"{base}/settings", json={"slowModeSeconds": -1}, headers=owner.headers),
        422,
        "validation_error",
    )
    assert_error(
        await factory.http.put(f"{base}/settings", json={"policy": "maybe"}, headers=owner.headers),
        422,
        "validation_error",
    )
    assert_error(
        await factory.http.post(
            f"{base}/bans", json={"personId": "g:x", "kind": "timeout", "seconds": 15 * 86400}, headers=owner.headers
        ),
        422,
        "validation_error",
    )
    assert_error(await factory.http.delete(f"{base}/messages/99", headers=owner.headers), 404, "chat_message_not_found")
    assert_error(await factory.http.get("/api/events/nope/chat/log", headers=owner.headers), 404, "event_not_found")

    named = await factory.http.post(f"{base}/moderators", json={"email": "Mod@Example.com"}, headers=owner.headers)
    assert named.status_code == 201 and named.json()["email"] == "mod@example.com"
    listed = await factory.http.get(f"{base}/moderators", headers=owner.headers)
    assert [m["email"] for m in listed.json()["items"]] == ["mod@example.com"]
    removed = await factory.http.delete(f"{base}/moderators/{named.json()['moderatorId']}", headers=owner.headers)
    assert removed.status_code == 204
    assert (await factory.http.get(f"{base}/moderators", headers=owner.headers)).json()["items"] == []
