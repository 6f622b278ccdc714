"""The live chat in Chromium against a real server: two viewers see each other's messages (a reply, a mention), a
keyboard-only send, the console's moderator deletes a message and bans a viewer (who is told), the panel at phone
width, the rate limit's and a timeout's words, a dropped socket coming back with what it missed, a report through
the queue, a poll, Q&A ordering, reactions, the embed's setting, and the replay's chat in step with the video (a
stand-in window on an upload, then a real broadcast's recording). The moderators' frames move the console's queue
and bans list at once; a message removed while a viewer was away is gone after the reconnect; an upvote shows done
after a reload; a refusal shows by the frame it answers; a named moderator times out, bans and hides from the
viewer's panel."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route, WebSocketRoute, expect

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SCREENSHOTS, TINY_LADDER, Site, running_site
from tests.e2e.test_account_pages import PASSWORD as ACCOUNT_PASSWORD
from tests.e2e.test_account_pages import emailed_link as account_link
from tests.e2e.test_admin_live import Encoder
from tests.live_server import free_port

pytestmark = pytest.mark.e2e

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
NAME_FIELD = [{"name": "name", "label": "Name", "type": "text", "required": True}]


@pytest.fixture(scope="module")
def site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The shared fixture's server, with an RTMP listener and the embedded worker: one test broadcasts for real
    and its recording becomes the replay (overrides tests/e2e/conftest.py's `site`)."""
    with running_site(
        fresh_database_url,
        tmp_path_factory.mktemp("chat"),
        GOLIVE_EMBEDDED_WORKER="true",
        GOLIVE_RTMP_PORT=str(free_port()),
        GOLIVE_RTMP_HOST="127.0.0.1",
        GOLIVE_LIVE_LADDER=json.dumps(TINY_LADDER),
        GOLIVE_LIVE_HEALTH_SECONDS="0.5",
        GOLIVE_LIVE_RECONNECT_WINDOW_SECONDS="5",
    ) as running:
        yield running


def shoot(page: Page, name: str) -> None:
    """chat-<name>.png (in docs/screenshots/ under `make screenshots`), reduced to a 128-colour palette."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    raw = page.screenshot(full_page=False, animations="disabled")
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "png_pipe", "-i", "pipe:0",
            "-vf", "split[a][b];[a]palettegen=max_colors=128[p];[b][p]paletteuse=dither=none",
            str(SCREENSHOTS / f"chat-{name}.png"),
        ],
        input=raw,
        check=True,
        timeout=30,
    )  # fmt: skip


@contextmanager
def context(browser: Browser, viewport: dict[str, int] = WIDE) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    made.set_default_timeout(15_000)
    try:
        yield made
    finally:
        made.close()


def join(ctx: BrowserContext, site: Site, event_id: str, name: str) -> Page:
    """A viewer passes the event's name gate; the chat panel opens beside the player."""
    page = ctx.new_page()
    page.goto(site.url(f"/e/{event_id}"))
    page.get_by_test_id("field-name").fill(name)
    page.get_by_test_id("gate-submit").click()
    panel = page.get_by_test_id("chat-panel")
    expect(panel).to_have_attribute("data-connection", "open")
    return page


def say(page: Page, text: str) -> None:
    page.get_by_test_id("chat-composer-input").fill(text)
    page.get_by_test_id("chat-composer-input").press("Enter")


def messages(page: Page) -> Locator:
    return page.get_by_test_id("chat-panel").get_by_test_id("chat-message")


def console(ctx: BrowserContext, site: Site, event_id: str) -> Page:
    page = ctx.new_page()
    page.goto(site.url("/admin/login"))
    page.get_by_test_id("login-email").fill(ADMIN_EMAIL)
    page.get_by_test_id("login-password").fill(ADMIN_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-admin")).to_be_visible()
    page.goto(site.url(f"/admin/events/{event_id}/live"))
    expect(page.get_by_test_id("console-chat")).to_be_visible()
    expect(page.get_by_test_id("console-chat").get_by_test_id("chat-connection")).to_have_count(0)
    return page


def assert_accessible(page: Page, what: str) -> None:
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not serious, f"{what}: {serious}"


def named_event(site: Site, title: str) -> str:
    return site.open_event(title=title, eventType="live", accessType="form", formFields=NAME_FIELD)


def test_two_viewers_see_each_others_messages_and_a_reply(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Chat night")
    with context(browser) as one, context(browser) as two:
        ada = join(one, site, event_id, "Ada")
        grace = join(two, site, event_id, "Grace")
        say(ada, "Hello from Ada")
        expect(messages(grace).filter(has_text="Hello from Ada")).to_have_count(1)
        expect(messages(ada).filter(has_text="Hello from Ada")).to_have_count(1)

        # Grace replies to Ada and mentions her: Ada sees the reply's context and her name highlighted
        hello = messages(grace).filter(has_text="Hello from Ada")
        hello.hover()
        hello.get_by_test_id("chat-reply").click()
        expect(grace.get_by_test_id("chat-replying")).to_contain_text("Ada")
        say(grace, "@Ada hi there!")
        reply = messages(ada).filter(has_text="hi there!")
        expect(reply.get_by_test_id("chat-reply-context")).to_contain_text("Hello from Ada")
        expect(reply.locator("mark.chat-mention")).to_have_text("@Ada")
        expect(ada.get_by_test_id("chat-composer-counter")).to_contain_text("0/500")
        shoot(ada, "viewer")
        assert_accessible(ada, "the event page with its chat")


def test_a_keyboard_only_viewer_sends_a_message(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Keyboard chat")
    with context(browser) as ctx:
        page = join(ctx, site, event_id, "Kay")
        field = page.get_by_test_id("chat-composer-input")
        # Tab from the message list reaches the composer; Shift+Enter is a new line, Enter sends
        page.get_by_test_id("chat-tab-chat").focus()
        for _ in range(12):
            page.keyboard.press("Tab")
            if field.evaluate("el => el === document.activeElement"):
                break
        assert field.evaluate("el => el === document.activeElement"), "Tab never reached the composer"
        page.keyboard.type("first line")
        page.keyboard.press("Shift+Enter")
        page.keyboard.type("second line")
        assert field.input_value() == "first line\nsecond line"
        page.keyboard.press("Enter")
        expect(messages(page).filter(has_text="first line")).to_have_count(1)
        expect(field).to_have_value("")
        # the Q&A tab is reachable with the arrow keys
        page.get_by_test_id("chat-tab-chat").focus()
        page.keyboard.press("ArrowRight")
        expect(page.get_by_test_id("chat-tab-questions")).to_be_focused()
        expect(page.get_by_test_id("chat-tab-questions")).to_have_attribute("aria-selected", "true")


def test_the_console_deletes_a_message_and_bans_a_viewer(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Moderated chat")
    with context(browser) as viewer_ctx, context(browser) as admin_ctx:
        viewer = join(viewer_ctx, site, event_id, "Troll")
        say(viewer, "buy cheap followers now")
        say(viewer, "a second message")
        expect(messages(viewer)).to_have_count(2)

        room = console(admin_ctx, site, event_id)
        chat = room.get_by_test_id("console-chat")
        spam = chat.get_by_test_id("chat-message").filter(has_text="cheap followers")
        expect(spam).to_have_count(1)
        spam.hover()
        spam.get_by_test_id("chat-moderate").click()
        spam.get_by_test_id("chat-delete").click()
        expect(messages(viewer).filter(has_text="cheap followers")).to_have_count(0)
        expect(chat.get_by_test_id("chat-message").filter(has_text="cheap followers")).to_have_count(0)
        expect(messages(viewer)).to_have_count(1)

        # the moderator writes too, with the badge
        room.get_by_test_id("console-composer-input").fill("Please keep it friendly")
        room.get_by_test_id("console-composer-input").press("Enter")
        moderator_line = messages(viewer).filter(has_text="keep it friendly")
        expect(moderator_line.get_by_test_id("chat-moderator-badge")).to_be_visible()
        room.get_by_test_id("console-chat").scroll_into_view_if_needed()
        shoot(room, "console")
        assert_accessible(room, "the control room with its chat")

        second = chat.get_by_test_id("chat-message").filter(has_text="a second message")
        second.hover()
        second.get_by_test_id("chat-moderate").click()
        second.get_by_test_id("chat-ban").click()
        room.get_by_test_id("confirm-dialog").get_by_role("button", name="Ban").click()
        expect(viewer.get_by_test_id("chat-refused")).to_contain_text("removed you from this chat")
        expect(viewer.get_by_test_id("chat-composer-input")).to_be_disabled()
        expect(chat.get_by_test_id("chat-ban-item")).to_contain_text("Troll")

        # a reload does not bring the banned viewer back
        viewer.reload()
        expect(viewer.get_by_test_id("chat-refused")).to_contain_text("removed you")

        chat.get_by_test_id("chat-unban").click()
        expect(chat.get_by_test_id("chat-ban-item")).to_have_count(0)


def test_the_panel_at_phone_width(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Phone chat")
    with context(browser, PHONE) as ctx:
        page = join(ctx, site, event_id, "Pat")
        say(page, "Typing on my phone 📱")
        expect(messages(page)).to_have_count(1)
        stage = page.locator(".viewer-stage").bounding_box()
        panel = page.get_by_test_id("chat-panel").bounding_box()
        assert stage and panel
        assert panel["y"] >= stage["y"] + stage["height"] - 1, "the chat is below the player on a phone"
        assert panel["width"] <= PHONE["width"] and panel["x"] >= 0, "the chat fits the phone's width"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= PHONE["width"], f"the page scrolls sideways ({scroll_width} px)"
        page.get_by_test_id("chat-panel").scroll_into_view_if_needed()
        shoot(page, "viewer-phone")


def test_a_rate_limited_viewer_sees_the_wait(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Fast typist")
    with context(browser) as ctx:
        page = join(ctx, site, event_id, "Speedy")
        for n in range(5):
            say(page, f"message {n}")
        expect(page.get_by_test_id("chat-composer-problem")).to_contain_text("too fast")


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


def test_the_console_sets_slow_mode_and_a_held_term_from_its_form(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Strict room")
    with context(browser) as one, context(browser) as two, context(browser) as admin_ctx:
        room = console(admin_ctx, site, event_id)
        form = room.get_by_test_id("chat-settings")
        expect(form.get_by_test_id("chat-settings-slow")).to_have_value("0")
        form.get_by_test_id("chat-settings-slow").fill("30")
        form.get_by_test_id("chat-settings-terms").fill("spoiler")
        form.get_by_test_id("chat-settings-term-action").select_option("hold")
        form.get_by_test_id("chat-settings-save").click()
        expect(form.get_by_test_id("chat-settings-saved")).to_have_text("Saved.")

        slow = join(one, site, event_id, "Slow")
        other = join(two, site, event_id, "Other")
        say(slow, "first, allowed")
        expect(messages(other).filter(has_text="first, allowed")).to_have_count(1)
        say(slow, "second, too soon")
        expect(slow.get_by_test_id("chat-composer-problem")).to_contain_text(
            re.compile(r"one message every 30 s\. You can send again in \d+ s")
        )
        expect(slow.get_by_test_id("chat-composer-send")).to_have_text(re.compile(r"Wait \d+ s"))

        say(other, "a big spoiler here")
        held = messages(other).filter(has_text="spoiler")
        expect(held.get_by_test_id("chat-held-note")).to_be_visible()
        expect(messages(slow).filter(has_text="spoiler")).to_have_count(0)
        item = room.get_by_test_id("chat-queue-item").filter(has_text="spoiler")
        expect(item).to_contain_text("Held by a blocked term", timeout=20_000)
        item.get_by_test_id("chat-queue-reject").click()  # let it through
        expect(messages(slow).filter(has_text="a big spoiler here")).to_have_count(1)
        expect(held.get_by_test_id("chat-held-note")).to_have_count(0)


def test_a_dropped_socket_says_so_and_comes_back_with_what_it_missed(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Flaky network")
    urls: list[str] = []
    routes: list[WebSocketRoute] = []
    refuse = {"now": False}

    def through(ws: WebSocketRoute) -> None:
        urls.append(ws.url)
        if refuse["now"]:
            ws.close(code=1011)  # the network is still down: the client waits and tries again
            return
        ws.connect_to_server()
        routes.append(ws)

    with context(browser) as one, context(browser) as two:
        talker = join(one, site, event_id, "Talker")
        page = two.new_page()
        page.route_web_socket(re.compile(r"/chat/ws"), through)
        page.goto(site.url(f"/e/{event_id}"))
        page.get_by_test_id("field-name").fill("Roamer")
        page.get_by_test_id("gate-submit").click()
        expect(page.get_by_test_id("chat-panel")).to_have_attribute("data-connection", "open")
        say(talker, "soon to be removed")
        say(talker, "before the drop")
        expect(messages(page).filter(has_text="before the drop")).to_have_count(1)
        seen = messages(page).last.get_attribute("data-message-id")
        doomed = messages(page).filter(has_text="soon to be removed").get_attribute("data-message-id")

        refuse["now"] = True
        routes[-1].close(code=1011)
        expect(page.get_by_test_id("chat-connection")).to_contain_text("Reconnecting")
        expect(page.get_by_test_id("chat-composer-input")).to_be_disabled()
        say(talker, "said while you were away")
        # a moderator removes a message the roamer still shows: the reconnect's deleted frame takes it away
        removed = httpx.delete(site.url(f"/api/events/{event_id}/chat/messages/{doomed}"), headers=site.admin_headers)
        assert removed.status_code == 204, removed.text
        expect(messages(talker).filter(has_text="soon to be removed")).to_have_count(0)
        expect(messages(page).filter(has_text="soon to be removed")).to_have_count(1)  # still away
        refuse["now"] = False
        expect(page.get_by_test_id("chat-panel")).to_have_attribute("data-connection", "open", timeout=40_000)
        expect(messages(page).filter(has_text="said while you were away")).to_have_count(1)
        expect(messages(page).filter(has_text="before the drop")).to_have_count(1)
        expect(messages(page).filter(has_text="soon to be removed")).to_have_count(0)
        assert f"after={seen}" in urls[-1], urls


def test_a_report_reaches_the_queue_and_approving_it_removes_the_message(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Reported chat")
    with context(browser) as one, context(browser) as two, context(browser) as admin_ctx:
        rude = join(one, site, event_id, "Rude")
        kind = join(two, site, event_id, "Kind")
        say(rude, "something unkind")
        line = messages(kind).filter(has_text="something unkind")
        line.hover()
        line.get_by_test_id("chat-report").click()
        expect(line.get_by_test_id("chat-reported")).to_be_visible()

        room = console(admin_ctx, site, event_id)
        item = room.get_by_test_id("chat-queue-item").filter(has_text="something unkind")
        expect(item).to_contain_text("Reported by a viewer")
        item.get_by_test_id("chat-queue-approve").click()
        expect(messages(kind).filter(has_text="something unkind")).to_have_count(0)
        expect(messages(rude).filter(has_text="something unkind")).to_have_count(0)
        expect(room.get_by_test_id("chat-queue-count")).to_have_text("0")


def test_a_timed_out_viewer_is_told_until_when(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Cooling off")
    with context(browser) as viewer_ctx, context(browser) as admin_ctx:
        viewer = join(viewer_ctx, site, event_id, "Hothead")
        say(viewer, "too loud")
        room = console(admin_ctx, site, event_id)
        line = room.get_by_test_id("console-chat").get_by_test_id("chat-message").filter(has_text="too loud")
        line.hover()
        line.get_by_test_id("chat-moderate").click()
        line.get_by_test_id("chat-timeout-length").select_option("600")
        line.get_by_test_id("chat-timeout").click()
        expect(room.get_by_test_id("chat-console-note")).to_contain_text("cannot post for 10 minutes")
        problem = viewer.get_by_test_id("chat-composer-problem")
        expect(problem).to_contain_text("paused your messages until")
        say(viewer, "can I still talk?")
        expect(problem).to_contain_text("paused your messages until")
        expect(messages(viewer).filter(has_text="can I still talk?")).to_have_count(0)
        expect(room.get_by_test_id("chat-ban-item")).to_contain_text("timed out until")


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


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


def test_the_console_hears_a_report_a_ban_and_a_lift_as_they_happen(site: Site, browser: Browser) -> None:
    """The queue and the bans list move with the moderators' frames: no refresh to wait for (it was 15 s)."""
    event_id = named_event(site, "Heard at once")
    with context(browser) as one, context(browser) as two, context(browser) as admin_ctx:
        room = console(admin_ctx, site, event_id)
        expect(room.get_by_test_id("chat-queue-count")).to_have_text("0")
        rude = join(one, site, event_id, "Rude")
        kind = join(two, site, event_id, "Kind")
        say(rude, "a mean remark")
        line = messages(kind).filter(has_text="a mean remark")
        line.hover()
        line.get_by_test_id("chat-report").click()
        item = room.get_by_test_id("chat-queue-item").filter(has_text="a mean remark")
        expect(item).to_contain_text("Reported by a viewer", timeout=3_000)
        expect(room.get_by_test_id("chat-queue-count")).to_have_text("1", timeout=3_000)

        # a ban made elsewhere (the API) shows in the console's list at once, and its lift leaves it
        person = messages(kind).filter(has_text="a mean remark").get_attribute("data-person-id")
        banned = httpx.post(
            site.url(f"/api/events/{event_id}/chat/bans"),
            json={"personId": person, "kind": "ban"},
            headers=site.admin_headers,
        )
        assert banned.status_code == 201, banned.text
        bans = room.get_by_test_id("chat-ban-item")
        expect(bans.filter(has_text="Rude")).to_contain_text("banned", timeout=3_000)
        expect(rude.get_by_test_id("chat-refused")).to_contain_text("removed you")
        # a timeout replaces the ban: one line, no double
        timed = httpx.post(
            site.url(f"/api/events/{event_id}/chat/bans"),
            json={"personId": person, "kind": "timeout", "seconds": 600},
            headers=site.admin_headers,
        )
        assert timed.status_code == 201, timed.text
        expect(bans.filter(has_text="Rude")).to_contain_text("timed out until", timeout=3_000)
        expect(bans).to_have_count(1)
        lifted = httpx.delete(site.url(f"/api/events/{event_id}/chat/bans/{person}"), headers=site.admin_headers)
        assert lifted.status_code == 204, lifted.text
        expect(bans).to_have_count(0, timeout=3_000)


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


def test_a_named_moderator_times_out_bans_and_hides_from_the_viewer_panel(site: Site, browser: Browser) -> None:
    event_id = named_event(site, "Viewer moderates")
    named = httpx.post(
        site.url(f"/api/events/{event_id}/chat/moderators"),
        json={"email": "mod@example.com"},
        headers=site.admin_headers,
    )
    assert named.status_code == 201, named.text
    with context(browser) as mod_ctx, context(browser) as one, context(browser) as two, context(browser) as three:
        # the moderator signs up with the named address and confirms it from the email's link
        signup = mod_ctx.new_page()
        signup.goto(site.url("/account/signup"))
        signup.get_by_test_id("account-email").fill("mod@example.com")
        signup.get_by_test_id("account-password").fill(ACCOUNT_PASSWORD)
        signup.get_by_test_id("account-submit").click()
        expect(signup.get_by_test_id("account-verify")).to_contain_text("mod@example.com")
        signup.goto(account_link(site, "mod@example.com", "verify"))
        expect(signup.get_by_test_id("account-identity")).to_have_text("mod@example.com")

        mod = join(mod_ctx, site, event_id, "Mod")
        expect(mod.get_by_test_id("chat-panel")).to_contain_text("You moderate")
        loud = join(one, site, event_id, "Loud")
        spammer = join(two, site, event_id, "Spammer")
        flooder = join(three, site, event_id, "Flooder")
        say(loud, "LOUD NOISES")
        say(spammer, "spam spam spam")
        say(flooder, "flood one")
        say(flooder, "flood two")
        expect(messages(mod)).to_have_count(4)

        # a timeout of the chosen length: the viewer is told until when, the moderator that it is done
        line = messages(mod).filter(has_text="LOUD NOISES")
        line.hover()
        line.get_by_test_id("chat-moderate").click()
        line.get_by_test_id("chat-timeout-length").select_option("600")
        line.get_by_test_id("chat-timeout").click()
        expect(loud.get_by_test_id("chat-composer-problem")).to_contain_text("paused your messages until")
        expect(mod.get_by_test_id("chat-moderation-note")).to_contain_text("Loud cannot post until")
        # the moderator's own message offers no timeout or ban of themselves
        say(mod, "calm down please")
        own = messages(mod).filter(has_text="calm down please")
        own.hover()
        own.get_by_test_id("chat-moderate").click()
        expect(own.get_by_test_id("chat-delete")).to_be_visible()
        expect(own.get_by_test_id("chat-ban")).to_have_count(0)

        # a ban asks first, then closes the viewer's chat
        line = messages(mod).filter(has_text="spam spam spam")
        line.hover()
        line.get_by_test_id("chat-moderate").click()
        line.get_by_test_id("chat-ban").click()
        line.get_by_test_id("chat-ban-confirm").click()
        expect(spammer.get_by_test_id("chat-refused")).to_contain_text("removed you from this chat")
        expect(mod.get_by_test_id("chat-moderation-note")).to_contain_text("Spammer is banned")

        # hide everything from a person: both their messages leave every screen
        line = messages(mod).filter(has_text="flood one")
        line.hover()
        line.get_by_test_id("chat-moderate").click()
        line.get_by_test_id("chat-hide-person").click()
        expect(messages(mod).filter(has_text="flood")).to_have_count(0)
        expect(messages(loud).filter(has_text="flood")).to_have_count(0)
        expect(messages(flooder).filter(has_text="flood")).to_have_count(0)
        line = messages(mod).filter(has_text="LOUD NOISES")
        line.hover()
        expect(line.get_by_test_id("chat-timeout")).to_be_visible()
        shoot(mod, "viewer-moderator")
        assert_accessible(mod, "a named moderator's chat panel, a message's moderation open")
