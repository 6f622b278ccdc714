"""The chat's interaction in Chromium: a poll voted once with moving results, Q&A ordered by upvotes (and an upvote
remembered after a reload), reactions floating over another viewer's player, the embed's setting, a refusal shown
by the frame it answers, and the replay's chat in step with the video (a stand-in window on an upload, then a real
broadcast's recording)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Route, WebSocketRoute, expect

from tests.e2e.chat_fixtures import (
    WIDE,
    chat_site,
    console,
    context,
    join,
    messages,
    named_event,
    say,
    shoot,
    wait_until,
)
from tests.e2e.conftest import Site
from tests.e2e.test_admin_live import Encoder

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from chat_site(fresh_database_url, tmp_path_factory)


def test_a_poll_is_voted_once_and_its_results_move(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Poll night")
    with context(browser) as viewer_ctx, context(browser) as admin_ctx:
        viewer = join(viewer_ctx, site, event_id, "Voter")
        room = console(admin_ctx, site, event_id)
        room.get_by_test_id("poll-question").fill("Tea or coffee?")
        room.get_by_test_id("poll-option").nth(0).fill("Tea")
        room.get_by_test_id("poll-option").nth(1).fill("Coffee")
        room.get_by_test_id("poll-add-option").click()
        room.get_by_test_id("poll-option").nth(2).fill("Water")
        room.get_by_test_id("poll-duration").select_option("300")
        room.get_by_test_id("poll-start").click()

        poll = viewer.get_by_test_id("chat-poll")
        expect(poll).to_contain_text("Tea or coffee?")
        expect(poll.get_by_test_id("chat-poll-option")).to_have_count(3)
        poll.get_by_test_id("chat-poll-option").filter(has_text="Coffee").click()
        coffee = poll.get_by_test_id("chat-poll-result").filter(has_text="Coffee")
        expect(coffee).to_contain_text("your vote")
        expect(coffee.get_by_test_id("chat-poll-share")).to_have_text("100%")
        expect(poll.get_by_test_id("chat-poll-option")).to_have_count(0)  # once

        # the control room's results follow (at most once a second), then the host ends it
        results = room.get_by_test_id("console-chat").get_by_test_id("chat-poll")
        expect(
            results.get_by_test_id("chat-poll-result").filter(has_text="Coffee").get_by_test_id("chat-poll-share")
        ).to_have_text("100%")
        expect(results).to_contain_text("1 vote")
        room.get_by_test_id("poll-end").click()
        expect(poll).to_have_attribute("data-status", "ended")
        expect(poll).to_contain_text("Poll ended")
        shoot(viewer, "poll")


def test_questions_are_sorted_by_upvotes_and_the_host_answers(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Ask me anything")
    with context(browser) as one, context(browser) as two, context(browser) as admin_ctx:
        asker = join(one, site, event_id, "Asker")
        fan = join(two, site, event_id, "Fan")
        asker.get_by_test_id("chat-tab-questions").click()
        for text in ("What is first?", "What comes second?"):
            asker.get_by_test_id("chat-ask-input").fill(text)
            asker.get_by_test_id("chat-ask-input").press("Enter")
            expect(asker.get_by_test_id("chat-question").filter(has_text=text)).to_have_count(1)
        expect(asker.get_by_test_id("chat-question-text").first).to_have_text("What is first?")

        fan.get_by_test_id("chat-tab-questions").click()
        second = fan.get_by_test_id("chat-question").filter(has_text="What comes second?")
        second.get_by_test_id("chat-question-upvote").click()
        expect(second.get_by_test_id("chat-question-upvote")).to_have_attribute("aria-pressed", "true")
        expect(second.get_by_test_id("chat-question-upvotes")).to_have_text("1")
        # everyone's list moves: the upvoted question goes first
        expect(asker.get_by_test_id("chat-question-text").first).to_have_text("What comes second?")
        expect(fan.get_by_test_id("chat-question-text").first).to_have_text("What comes second?")

        room = console(admin_ctx, site, event_id)
        room.get_by_test_id("console-tab-questions").click()
        host = room.get_by_test_id("console-chat").get_by_test_id("chat-question")
        expect(host.first).to_contain_text("What comes second?")
        host.first.get_by_test_id("chat-question-answer").click()
        expect(
            asker.get_by_test_id("chat-question")
            .filter(has_text="What comes second?")
            .get_by_test_id("chat-question-answered")
        ).to_be_visible()
        host.filter(has_text="What is first?").get_by_test_id("chat-question-hide").click()
        expect(asker.get_by_test_id("chat-question").filter(has_text="What is first?")).to_have_count(0)


def test_reactions_float_over_the_other_viewers_player(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Cheers")
    with context(browser) as one, context(browser) as two:
        cheering = join(one, site, event_id, "Cheerer")
        watching = join(two, site, event_id, "Watcher")
        expect(cheering.get_by_test_id("chat-reaction")).to_have_count(7)
        cheering.get_by_test_id("chat-reaction").first.click()
        cheering.get_by_test_id("chat-reaction").first.click()
        expect(watching.locator(".viewer-stage [data-testid=reaction-float]").first).to_be_attached()
        assert watching.locator("[data-testid=reaction-float]").count() <= 24
    with browser.new_context(viewport=WIDE, reduced_motion="reduce") as still_ctx, context(browser) as other:  # type: ignore[arg-type]
        still_ctx.set_default_timeout(15_000)
        still = join(still_ctx, site, event_id, "Still")
        tapper = join(other, site, event_id, "Tapper")
        tapper.get_by_test_id("chat-reaction").nth(1).click()
        expect(still.get_by_test_id("reaction-tally")).to_be_visible()  # counted, nothing rises
        expect(still.get_by_test_id("reaction-float")).to_have_count(0)


def test_the_embed_shows_the_chat_only_when_its_settings_say_so(site: Site, browser: Browser) -> None:
    event_id = site.open_event(title="Embedded chat", eventType="live")
    with context(browser) as ctx:
        page = ctx.new_page()
        page.goto(site.url(f"/embed/{event_id}"))
        page.get_by_test_id("gate-submit").click()
        expect(page.get_by_test_id("player").first).to_be_visible()
        page.wait_for_timeout(1500)
        expect(page.get_by_test_id("chat-panel")).to_have_count(0)

        saved = httpx.put(
            site.url(f"/api/events/{event_id}/chat/settings"), json={"embedChat": True}, headers=site.admin_headers
        )
        assert saved.status_code == 200, saved.text
        page.reload()
        expect(page.get_by_test_id("chat-panel")).to_have_attribute("data-connection", "open")
        say(page, "hello from the embed")
        expect(messages(page).filter(has_text="hello from the embed")).to_have_count(1)


def test_the_replay_shows_the_chat_in_step_with_the_video(site: Site, browser: Browser, clip: Path) -> None:
    """The replay's chat follows the player: each message shows once the position passes its offset, and a seek
    back hides what lies ahead and asks the server again. The windows come from a route standing in for
    /chat/replay (an uploaded clip is no recording of a broadcast; tests/live/test_chat_replay.py covers the
    server's offsets on a real one)."""
    event_id = site.open_event(title="Replay chat", video=clip)
    moved = httpx.post(
        site.url(f"/api/events/{event_id}/transitions"), json={"to": "ended"}, headers=site.admin_headers
    )
    assert moved.status_code == 200, moved.text
    said = [("1", 0.4, "at the start"), ("2", 1.8, "nearly two seconds in"), ("3", 150.0, "much later")]
    asked: list[tuple[float, float]] = []

    def replay(route: Route) -> None:
        query = parse_qs(urlsplit(route.request.url).query)
        start, end = float(query["from"][0]), float(query["to"][0])
        assert (route.request.header_value("authorization") or "").startswith("Bearer ")
        asked.append((start, end))
        items: list[dict[str, object]] = [
            {"messageId": mid, "author": {"personId": "g:x", "name": "Live viewer", "moderator": False}, "text": text,
             "replyTo": None, "mentions": [], "status": "visible", "createdAt": None, "offsetSeconds": offset}
            for mid, offset, text in said
            if start <= offset < end
        ]  # fmt: skip
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"items": items}))

    with context(browser) as ctx:
        page = ctx.new_page()
        page.route(re.compile(r"/api/events/[^/]+/chat/replay\?"), replay)
        page.goto(site.url(f"/e/{event_id}"))
        page.get_by_test_id("gate-submit").click()
        panel = page.get_by_test_id("chat-replay")
        expect(panel).to_be_visible()
        expect(page.get_by_test_id("chat-composer")).to_have_count(0)  # read-only
        video = page.get_by_test_id("video")
        video.evaluate("v => { v.pause(); v.currentTime = 0; }")
        page.wait_for_function("() => document.querySelector('video').currentTime < 0.3")
        expect(panel.get_by_test_id("chat-message")).to_have_count(0)
        assert (0.0, 60.0) in asked

        video.evaluate("v => { v.currentTime = 1; }")
        expect(panel.get_by_test_id("chat-message")).to_have_count(1)
        expect(panel.get_by_test_id("chat-message")).to_contain_text("at the start")
        video.evaluate("v => { v.currentTime = 2.5; }")
        expect(panel.get_by_test_id("chat-message")).to_have_count(2)
        expect(panel.get_by_test_id("chat-message").last).to_contain_text("nearly two seconds in")
        shoot(page, "replay")

        before = len(asked)
        video.evaluate(
            "v => { v.currentTime = 0.1; }"
        )  # a seek back: what lies ahead hides, the windows are asked again
        expect(panel.get_by_test_id("chat-message")).to_have_count(0)
        page.wait_for_timeout(500)
        assert len(asked) > before, "a seek asks for the windows again"


def test_a_real_broadcasts_chat_replays_at_its_place_in_the_recording(
    site: Site, browser: Browser, tmp_path: Path
) -> None:
    created = httpx.post(
        site.url("/api/events"),
        json={"title": "Broadcast with chat", "eventType": "live", "accessType": "anonymous", "autoStart": True},
        headers=site.admin_headers,
    )
    assert created.status_code == 201, created.text
    event_id = created.json()["eventId"]
    moved = httpx.post(
        site.url(f"/api/events/{event_id}/transitions"), json={"to": "scheduled"}, headers=site.admin_headers
    )
    assert moved.status_code == 200, moved.text
    ingest = httpx.get(site.url(f"/api/events/{event_id}/live-input"), headers=site.admin_headers).json()
    encoder = Encoder(f"{ingest['rtmpUrl']}/{ingest['streamKey']}", tmp_path / "encoder.log", seconds=40)
    try:
        wait_until(
            lambda: httpx.get(site.url(f"/api/events/{event_id}")).json()["status"] == "live",
            40,
            "the event to go live",
        )
        with context(browser) as ctx:
            page = ctx.new_page()
            page.goto(site.url(f"/e/{event_id}"))
            page.get_by_test_id("gate-submit").click()
            expect(page.get_by_test_id("chat-panel")).to_have_attribute("data-connection", "open")
            page.wait_for_timeout(2000)
            say(page, "said early in the show")
            page.wait_for_timeout(4000)
            say(page, "said four seconds later")
            expect(messages(page)).to_have_count(2)
            page.wait_for_timeout(2000)
            ended = httpx.post(
                site.url(f"/api/events/{event_id}/transitions"), json={"to": "ended"}, headers=site.admin_headers
            )
            assert ended.status_code == 200, ended.text
            wait_until(
                lambda: httpx.get(site.url(f"/api/events/{event_id}/live-status")).json()["replayReady"],
                90,
                "the replay",
            )

            token = page.evaluate(
                "id => Object.entries(sessionStorage).find(([k]) => k.includes(id))?.[1] ?? null", event_id
            )
            replayed = httpx.get(
                site.url(f"/api/events/{event_id}/chat/replay"),
                params={"from": 0, "to": 600},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert replayed.status_code == 200, replayed.text
            offsets = {m["text"]: m["offsetSeconds"] for m in replayed.json()["items"]}
            early, late = offsets["said early in the show"], offsets["said four seconds later"]
            assert 2.5 < late - early < 6, offsets

            page.reload()  # the ended event: the replay plays, its chat beside it
            panel = page.get_by_test_id("chat-replay")
            expect(panel).to_be_visible()
            video = page.get_by_test_id("video")
            page.wait_for_function("() => (document.querySelector('video')?.duration ?? 0) > 0", timeout=30_000)
            shown = panel.get_by_test_id("chat-message")
            video.evaluate(f"v => {{ v.pause(); v.currentTime = {max(0.0, early - 0.4)}; }}")
            expect(shown).to_have_count(0)
            video.evaluate(f"v => {{ v.currentTime = {early + 0.3}; }}")
            expect(shown).to_have_count(1)
            expect(shown).to_contain_text("said early in the show")
            video.evaluate(f"v => {{ v.currentTime = {late + 0.3}; }}")
            expect(shown).to_have_count(2)
            # playing on from before the first message, it shows as the position passes it
            video.evaluate(f"v => {{ v.currentTime = {max(0.0, early - 1.5)}; v.play(); }}")
            expect(shown).to_have_count(0)
            expect(shown).to_have_count(1, timeout=10_000)
    finally:
        encoder.stop()


def test_an_upvote_shows_done_after_a_reload(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Upvotes remembered")
    with context(browser) as one, context(browser) as two, context(browser) as three:
        asker = join(one, site, event_id, "Asker")
        fan = join(two, site, event_id, "Fan")
        other = join(three, site, event_id, "Other")
        asker.get_by_test_id("chat-tab-questions").click()
        asker.get_by_test_id("chat-ask-input").fill("Will it be recorded?")
        asker.get_by_test_id("chat-ask-input").press("Enter")

        fan.get_by_test_id("chat-tab-questions").click()
        fan.get_by_test_id("chat-question").filter(has_text="recorded").get_by_test_id("chat-question-upvote").click()
        expect(fan.get_by_test_id("chat-question-upvotes")).to_have_text("1")

        fan.reload()
        expect(fan.get_by_test_id("chat-panel")).to_have_attribute("data-connection", "open")
        fan.get_by_test_id("chat-tab-questions").click()
        upvote = fan.get_by_test_id("chat-question").filter(has_text="recorded").get_by_test_id("chat-question-upvote")
        expect(upvote).to_be_disabled()
        expect(upvote).to_have_attribute("aria-pressed", "true")
        # someone else's upvote moves the count for everyone; the fan's stays done
        other.get_by_test_id("chat-tab-questions").click()
        other.get_by_test_id("chat-question-upvote").click()
        expect(fan.get_by_test_id("chat-question-upvotes")).to_have_text("2")
        expect(upvote).to_be_disabled()
        expect(other.get_by_test_id("chat-question-upvote")).to_be_disabled()


def test_a_refusal_shows_by_the_frame_it_answers(site: Site, browser: Browser) -> None:
    """Each refusal names the frame it answers (request): the panel shows it there, whatever the viewer sent
    last. The refused frames go to the server through a route on the viewer's socket, after the viewer sent
    something else, so the last frame sent would place each one wrongly."""
    event_id = named_event(site, "Refusals in place")
    servers: list[WebSocketRoute] = []

    def through(ws: WebSocketRoute) -> None:
        servers.append(ws.connect_to_server())

    with context(browser) as ctx:
        page = ctx.new_page()
        page.route_web_socket(re.compile(r"/chat/ws"), through)
        page.goto(site.url(f"/e/{event_id}"))
        page.get_by_test_id("field-name").fill("Placed")
        page.get_by_test_id("gate-submit").click()
        expect(page.get_by_test_id("chat-panel")).to_have_attribute("data-connection", "open")
        started = httpx.post(
            site.url(f"/api/events/{event_id}/chat/polls"),
            json={"question": "Stay late?", "options": ["Yes", "No"], "durationSeconds": 300},
            headers=site.admin_headers,
        )
        assert started.status_code == 201, started.text
        poll = started.json()
        page.get_by_test_id("chat-poll-option").filter(has_text="Yes").click()
        expect(page.get_by_test_id("chat-poll-result").filter(has_text="Yes")).to_contain_text("your vote")
        composer_problem = page.get_by_test_id("chat-composer-problem")
        reactions_problem = page.get_by_test_id("chat-reactions-problem")

        # the viewer's last frame is a message; a second vote is refused: by the poll, not the composer
        say(page, "voted already")
        expect(messages(page).filter(has_text="voted already")).to_have_count(1)
        options = poll["options"]
        servers[-1].send(json.dumps({"type": "vote", "pollId": poll["pollId"], "optionId": options[1]["optionId"]}))
        expect(page.get_by_test_id("chat-poll-problem")).to_contain_text("voted in this poll already")
        expect(composer_problem).to_have_text("")

        # the last frame is a reaction; a refused message shows by the composer, not the reactions
        page.get_by_test_id("chat-reaction").first.click()
        servers[-1].send(json.dumps({"type": "message", "text": "x" * 501}))
        expect(composer_problem).not_to_have_text("")
        expect(reactions_problem).to_have_text("")
        expect(page.get_by_test_id("chat-poll-problem")).to_have_count(0)

        # the last frame is a message; a refused reaction shows by the reactions
        say(page, "and a reaction")
        expect(messages(page).filter(has_text="and a reaction")).to_have_count(1)
        servers[-1].send(json.dumps({"type": "reaction", "emoji": "not-an-emoji"}))
        expect(reactions_problem).to_contain_text("React with one of")
        expect(composer_problem).to_have_text("")
