"""The live chat in Chromium against a real server: two viewers see each other's messages (a reply, a mention), a
keyboard-only send, the console's moderator deletes a message and bans a viewer (who is told), the panel at phone
width, the rate limit's and a timeout's words, slow mode and a held term from the console's form, a dropped socket
coming back with what it missed (and without what was removed meanwhile), a report through the queue, the console
hearing reports, bans and lifts as they happen, and a named moderator timing out, banning and hiding from the
viewer's panel."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, WebSocketRoute, expect

from tests.e2e.chat_fixtures import (
    PHONE,
    assert_accessible,
    chat_site,
    console,
    context,
    join,
    messages,
    named_event,
    say,
    shoot,
)
from tests.e2e.conftest import Site
from tests.e2e.test_account_pages import PASSWORD as ACCOUNT_PASSWORD
from tests.e2e.test_account_pages import emailed_link as account_link

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from chat_site(fresh_database_url, tmp_path_factory)


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


def test_the_console_hears_a_report_a_ban_and_a_lift_as_they_happen(site: Site, browser: Browser) -> None:
    """The queue and the bans list move with the moderators' frames (a report, another moderator settling it, a
    ban, a timeout, a lift): no refresh to wait for (it was 15 s)."""
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
        # another moderator (the API) settles it: it leaves this console's queue at once
        queued = httpx.get(site.url(f"/api/events/{event_id}/chat/reports"), headers=site.admin_headers).json()
        settled = httpx.post(
            site.url(f"/api/events/{event_id}/chat/reports/{queued['items'][0]['reportId']}"),
            json={"status": "rejected"},
            headers=site.admin_headers,
        )
        assert settled.status_code == 204, settled.text
        expect(room.get_by_test_id("chat-queue-count")).to_have_text("0", timeout=3_000)

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


def test_an_on_demand_videos_chat_is_moderated_from_the_events_chat_page(
    site: Site, browser: Browser, clip: Path
) -> None:
    """An uploaded video has no live control room; its viewers chat all the same, and the event's page links to
    the chat with its moderation."""
    event_id = site.open_event(title="Chat beside a video", video=clip)
    with context(browser) as viewer_ctx, context(browser) as admin_ctx:
        viewer = viewer_ctx.new_page()
        viewer.goto(site.url(f"/e/{event_id}"))
        viewer.get_by_role("button", name="Watch").click()
        expect(viewer.get_by_test_id("chat-panel")).to_have_attribute("data-connection", "open")
        say(viewer, "is there a part two?")

        room = console(admin_ctx, site, event_id, page_name="")
        expect(room.get_by_test_id("live-control-link")).to_have_count(0)
        room.get_by_test_id("chat-link").click()
        line = room.get_by_test_id("console-chat").get_by_test_id("chat-message").filter(has_text="part two")
        expect(line).to_have_count(1)
        line.hover()
        line.get_by_test_id("chat-moderate").click()
        line.get_by_test_id("chat-delete").click()
        expect(messages(viewer).filter(has_text="part two")).to_have_count(0)
