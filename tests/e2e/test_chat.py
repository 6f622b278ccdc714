"""The live chat in Chromium against a real server: two viewers see each other's messages, a keyboard-only send,
the console's moderator deletes a message and bans a viewer (who is told), the panel at phone width; polls,
Q&A and the replay once the server has them."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SCREENSHOTS, Site

pytestmark = pytest.mark.e2e

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
NAME_FIELD = [{"name": "name", "label": "Name", "type": "text", "required": True}]


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


def messages(page: Page):  # type: ignore[no-untyped-def]
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


def server_has(site: Site, path: str) -> bool:
    spec = httpx.get(site.url("/openapi.json")).json()
    return any(path in p for p in spec["paths"])
