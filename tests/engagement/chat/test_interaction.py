"""Reactions, polls and Q&A over the socket: reactions leave once a second as counts (and per minute for analytics),
a poll takes one vote per person and ends on time, questions are upvoted once each and sorted by votes."""

from __future__ import annotations

import asyncio

import pytest

from golive.engagement.chat import polls
from tests.engagement.chat.conftest import chat, live_event_id, viewer_token
from tests.support import AdminLogin, Factory, assert_error


async def test_a_crowds_reactions_arrive_as_one_frame_a_second_and_are_counted_per_minute(
    factory: Factory, owner: AdminLogin, ws_base: str
) -> None:
    event_id = await live_event_id(factory, owner)
    tokens = [await viewer_token(factory, event_id) for _ in range(3)]
    async with (
        chat(ws_base, event_id, tokens[0]) as (first, hello, _),
        chat(ws_base, event_id, tokens[1]) as (second, _, _),
        chat(ws_base, event_id, tokens[2]) as (watcher, _, _),
    ):
        assert "🎉" in hello["reactions"]
        for _ in range(5):
            await first.send(type="reaction", emoji="🎉")
            await second.send(type="reaction", emoji="🎉")
        await second.send(type="reaction", emoji="🔥")
        await first.send(type="reaction", emoji="💩")
        assert (await first.next_of("error"))["code"] == "bad_frame"
        totals: dict[str, int] = {}
        frames = 0
        while totals.get("🎉", 0) < 10 or totals.get("🔥", 0) < 1:
            burst = await watcher.next_of("reactions")
            frames += 1
            for emoji, count in burst["counts"].items():
                totals[emoji] = totals.get(emoji, 0) + count
        assert totals == {"🎉": 10, "🔥": 1}
        assert frames <= 3  # eleven taps in a tick or a few (a loaded machine): never a frame per tap

        for _ in range(12):  # ten at once, then five a second
            await watcher.send(type="reaction", emoji="👍")
        refused = await watcher.next_of("error")
        assert refused["code"] == "rate_limited" and "reactions" in refused["message"]
    by_emoji: dict[str, int] = {}
    for _ in range(30):  # the last taps reach the per-minute counts at the next tick
        counted = await factory.http.get(f"/api/events/{event_id}/chat/reactions", headers=owner.headers)
        by_emoji = {row["emoji"]: row["count"] for row in counted.json()["items"]}
        if by_emoji.get("👍", 0) >= 10:
            break
        await asyncio.sleep(0.1)
    assert by_emoji["🎉"] == 10 and by_emoji["🔥"] == 1 and 10 <= by_emoji["👍"] < 12


async def test_a_poll_takes_one_vote_each_shows_results_live_and_ends_on_time(
    factory: Factory, owner: AdminLogin, ws_base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = await live_event_id(factory, owner)
    ada, bob = await viewer_token(factory, event_id), await viewer_token(factory, event_id)
    async with (
        chat(ws_base, event_id, headers=owner.headers) as (host, _, _),
        chat(ws_base, event_id, ada) as (ada_chat, _, _),
        chat(ws_base, event_id, bob) as (bob_chat, _, _),
    ):
        await host.send(type="poll_start", question="Next topic?", options=["Codecs", "CDNs"], durationSeconds=5)
        assert (await host.next_of("error"))["code"] == "bad_frame"  # 15 s at least
        await host.send(
            type="poll_start", question="Next topic?", options=["Codecs", "CDNs", "Codecs"], durationSeconds=60
        )
        assert (await host.next_of("error"))["code"] == "validation_error"
        monkeypatch.setattr(polls, "MIN_SECONDS", 1)  # a poll that ends within the test, however short Twitch's is
        await host.send(type="poll_start", question="Next topic?", options=["Codecs", "CDNs"], durationSeconds=3)
        poll = (await ada_chat.next_of("poll"))["poll"]
        assert [o["text"] for o in poll["options"]] == ["Codecs", "CDNs"] and poll["status"] == "active"
        codecs, cdns = (o["optionId"] for o in poll["options"])

        await ada_chat.send(type="vote", pollId=poll["pollId"], optionId=codecs)
        assert (await ada_chat.next_of("voted"))["optionId"] == codecs
        await ada_chat.send(type="vote", pollId=poll["pollId"], optionId=cdns)  # a second vote changes nothing
        assert (await ada_chat.next_of("error"))["code"] == "chat_poll_voted"
        await bob_chat.send(type="vote", pollId=poll["pollId"], optionId=cdns)
        await bob_chat.next_of("voted")
        while True:  # the results follow within a tick
            results = (await host.next_of("poll"))["poll"]
            if results["totalVotes"] == 2:
                break
        assert [o["votes"] for o in results["options"]] == [1, 1]

        again = await factory.http.post(
            f"/api/events/{event_id}/chat/polls",
            json={"question": "Another?", "options": ["Yes", "No"], "durationSeconds": 30},
            headers=owner.headers,
        )
        assert_error(again, 409, "chat_poll_running")

        while (ended := (await bob_chat.next_of("poll"))["poll"])["status"] != "ended":
            pass  # its time runs out: the ticker ends it
        assert ended["totalVotes"] == 2 and ended["endedAt"]
        await bob_chat.send(type="vote", pollId=poll["pollId"], optionId=codecs)
        assert (await bob_chat.next_of("error"))["code"] == "chat_poll_ended"

    async with chat(ws_base, event_id, ada) as (_, hello, _):  # a late joiner sees the last results and their vote
        assert hello["poll"]["pollId"] == poll["pollId"] and hello["pollVote"] == codecs
    kept = await factory.http.get(f"/api/events/{event_id}/chat/polls", headers=owner.headers)
    assert [(p["status"], p["totalVotes"]) for p in kept.json()["items"]] == [("ended", 2)]


async def test_fifty_voters_at_once_count_exactly(factory: Factory, owner: AdminLogin, ws_base: str) -> None:
    event_id = await live_event_id(factory, owner)
    started = await factory.http.post(
        f"/api/events/{event_id}/chat/polls",
        json={"question": "Ready?", "options": ["Yes", "No"], "durationSeconds": 120},
        headers=owner.headers,
    )
    poll = started.json()
    yes = poll["options"][0]["optionId"]
    tokens = [await viewer_token(factory, event_id) for _ in range(50)]

    async def vote_twice(token: str) -> None:
        async with chat(ws_base, event_id, token) as (client, _, _):
            await client.send(type="vote", pollId=poll["pollId"], optionId=yes)
            await client.send(type="vote", pollId=poll["pollId"], optionId=yes)
            await client.next_of("voted")
            await client.next_of("error")

    await asyncio.gather(*(vote_twice(token) for token in tokens))
    kept = (await factory.http.get(f"/api/events/{event_id}/chat/polls", headers=owner.headers)).json()["items"][0]
    assert [o["votes"] for o in kept["options"]] == [50, 0]


async def test_questions_are_upvoted_once_each_and_the_host_sees_them_by_votes(
    factory: Factory, owner: AdminLogin, ws_base: str
) -> None:
    event_id = await live_event_id(factory, owner)
    ada, bob = await viewer_token(factory, event_id), await viewer_token(factory, event_id)
    async with chat(ws_base, event_id, ada) as (ada_chat, _, _), chat(ws_base, event_id, bob) as (bob_chat, _, _):
        await ada_chat.send(type="ask", text="How do you pick a bitrate ladder?")
        first = (await bob_chat.next_of("question"))["question"]
        await bob_chat.send(type="ask", text="Which codec for 4K?")
        second = (await bob_chat.next_of("question"))["question"]  # its own, in the room's order
        assert second["text"] == "Which codec for 4K?"
        await ada_chat.send(type="ask", text="x" * 301)
        assert (await ada_chat.next_of("error"))["code"] == "question_too_long"

        await ada_chat.send(type="upvote", questionId=second["questionId"])
        upvoted = (await bob_chat.next_of("question"))["question"]
        assert (upvoted["questionId"], upvoted["upvotes"]) == (second["questionId"], 1)
        await ada_chat.send(type="upvote", questionId=second["questionId"])
        assert (await ada_chat.next_of("error"))["code"] == "chat_question_upvoted"
        async with chat(ws_base, event_id, ada) as (again, _, _):  # a reload knows what this person upvoted
            listed = {q["questionId"]: q["upvoted"] for q in (await again.next_of("questions"))["questions"]}
            assert listed == {second["questionId"]: True, first["questionId"]: False}

        host_view = await factory.http.get(f"/api/events/{event_id}/chat/questions", headers=owner.headers)
        assert [q["text"] for q in host_view.json()["items"]] == ["Which codec for 4K?", first["text"]]
        answered = await factory.http.post(
            f"/api/events/{event_id}/chat/questions/{second['questionId']}/answer", headers=owner.headers
        )
        assert answered.json()["status"] == "answered"
        assert (await ada_chat.next_of("question"))["question"]["status"] == "answered"
        hidden = await factory.http.delete(
            f"/api/events/{event_id}/chat/questions/{first['questionId']}", headers=owner.headers
        )
        assert hidden.status_code == 204
        assert (await bob_chat.next_of("question_removed"))["questionId"] == first["questionId"]

    async with chat(ws_base, event_id, bob) as (client, _, _):
        assert (await client.next_of("questions"))["questions"] == []  # neither open any more
    stats = (await factory.http.get(f"/api/events/{event_id}/chat/stats", headers=owner.headers)).json()
    assert stats["openQuestions"] == 0 and stats["messages"] == 0
