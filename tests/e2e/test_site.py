"""The white-label site in Chromium: an owner brands it in the console, watching the live preview, and a visitor
finds the brand on the home page, the event page and a phone."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.admin_fixtures import AdminApi, admin_server, owner_api, owner_page, page, screenshot
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import SCREENSHOTS
from tests.live_server import LiveServer

__all__ = ["admin_server", "owner_api", "owner_page", "page"]

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_an_owner_brands_the_site_and_a_visitor_sees_it_everywhere(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer, browser: Browser
) -> None:
    on_air = owner_api.create_event(title="Friday town hall", eventType="live")["eventId"]
    owner_api.transition(on_air, "scheduled")
    owner_api.transition(on_air, "live")
    private = owner_api.create_event(title="Board meeting", eventType="live", isListed=False)["eventId"]
    owner_api.transition(private, "scheduled")
    owner_api.transition(private, "live")

    console = owner_page
    console.get_by_test_id("nav-site").click()
    preview = console.get_by_test_id("site-preview")
    expect(preview.get_by_test_id("home-card")).to_have_count(1)  # the listed event alone
    console.get_by_test_id("site-platformName").fill("Acme TV")
    console.get_by_test_id("site-heroTitle").fill("Everything Acme, live")
    expect(preview.get_by_test_id("home-hero-title")).to_have_text("Everything Acme, live")  # before saving

    console.get_by_test_id("site-primaryColor").fill("#7dd3fc")  # white on light blue: 1.8:1
    expect(console.get_by_test_id("site-contrast")).to_contain_text("hard to read")
    expect(console.get_by_test_id("site-save")).to_be_disabled()
    console.get_by_test_id("site-primaryColor").fill("#0f766e")
    expect(console.get_by_test_id("site-contrast")).to_contain_text("readable")
    console.get_by_test_id("site-featured-add").select_option(label="Board meeting")
    expect(preview.get_by_test_id("home-featured")).to_contain_text("Board meeting")
    console.get_by_test_id("site-save").click()
    expect(console.get_by_test_id("site-message")).to_contain_text("Saved")
    screenshot(console, "site-settings")
    saved = httpx.get(f"{admin_server.base_url}/api/settings", timeout=30).json()
    assert (saved["platformName"], saved["primaryColor"], saved["featuredEventIds"]) == (
        "Acme TV",
        "#0f766e",
        [private],
    )

    context = browser.new_context(base_url=admin_server.base_url, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    visitor = context.new_page()
    visitor.goto("/")
    expect(visitor.get_by_test_id("home-hero-title")).to_have_text("Everything Acme, live")
    expect(visitor.get_by_role("link", name="Acme TV", exact=True)).to_be_visible()
    expect(visitor).to_have_title("Everything Acme, live")
    expect(visitor.get_by_test_id("home-live").get_by_test_id("home-card")).to_have_count(1)
    expect(visitor.get_by_test_id("home-featured")).to_contain_text("Board meeting")
    assert visitor.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    assert_accessible(visitor, "home page")
    visitor.screenshot(path=str(SCREENSHOTS / "site-home-phone.png"), full_page=True)

    live_card = visitor.get_by_test_id("home-live").get_by_role("link", name="Friday town hall")
    live_card.focus()
    visitor.keyboard.press("Enter")  # a card is a link: the keyboard opens it
    expect(visitor.get_by_test_id("event-title")).to_have_text("Friday town hall")
    expect(visitor.get_by_role("link", name="Acme TV", exact=True)).to_be_visible()
    expect(visitor).to_have_title("Friday town hall · Acme TV")
    accent = visitor.locator(".viewer-page").evaluate("el => getComputedStyle(el).getPropertyValue('--accent').trim()")
    assert accent == "#0f766e"
    context.close()
