"""What the chat's Chromium tests share: the server (with an RTMP listener and the worker, so one test broadcasts
for real), browser contexts, a viewer who joins through the name gate, the console, screenshots, axe."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SCREENSHOTS, TINY_LADDER, Site, running_site
from tests.live_server import free_port

WIDE = {"width": 1280, "height": 800}


PHONE = {"width": 375, "height": 740}


NAME_FIELD = [{"name": "name", "label": "Name", "type": "text", "required": True}]


def chat_site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The shared fixture's server, with an RTMP listener and the embedded worker: one test broadcasts for real
    and its recording becomes the replay (each chat module's `site`, in place of tests/e2e/conftest.py's)."""
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


def console(ctx: BrowserContext, site: Site, event_id: str, page_name: str = "live") -> Page:
    """The admin signed in, on the event's live control room (or, with page_name "", the event's own page)."""
    page = ctx.new_page()
    page.goto(site.url("/admin/login"))
    page.get_by_test_id("login-email").fill(ADMIN_EMAIL)
    page.get_by_test_id("login-password").fill(ADMIN_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-admin")).to_be_visible()
    if not page_name:
        page.goto(site.url(f"/admin/events/{event_id}"))
        return page
    page.goto(site.url(f"/admin/events/{event_id}/{page_name}"))
    expect(page.get_by_test_id("console-chat")).to_be_visible()
    expect(page.get_by_test_id("console-chat").get_by_test_id("chat-connection")).to_have_count(0)
    return page


def assert_accessible(page: Page, what: str) -> None:
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not serious, f"{what}: {serious}"


def named_event(site: Site, title: str) -> str:
    return site.open_event(title=title, eventType="live", accessType="form", formFields=NAME_FIELD)


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)
