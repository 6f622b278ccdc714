"""Several prices in a real Chromium: the owner adds a second price in the editor's prices table, and a
viewer of the event chooses it on the paywall and is charged it on the checkout page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.admin_fixtures import (
    VIEWPORT,
    AdminApi,
    admin_server,
    owner_api,
    owner_page,
    page,
    screenshot,
)
from tests.live_server import LiveServer

__all__ = ["admin_server", "owner_api", "owner_page", "page"]

pytestmark = pytest.mark.e2e


def test_the_owner_adds_a_supporter_price_and_a_viewer_chooses_it(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer, browser: Browser
) -> None:
    event = owner_api.create_event(title="Two prices", isPaidEvent=True, priceAmount=1200, currency="USD")
    for target in ("scheduled", "live"):
        owner_api.transition(event["eventId"], target)
    page = owner_page
    page.goto(f"/admin/events/{event['eventId']}")
    table = page.get_by_test_id("prices-table")
    expect(table.get_by_test_id("price-row")).to_have_count(1)
    expect(page.get_by_test_id("price-0-amount")).to_have_value("12.00")

    page.get_by_test_id("price-0-name").fill("Standard")
    page.get_by_test_id("add-price").click()
    page.get_by_test_id("price-1-name").fill("Supporter")
    page.get_by_test_id("price-1-amount").fill("abc")
    page.get_by_test_id("save-prices").click()
    expect(table).to_contain_text("Enter an amount like 12.50.")  # nothing sent: the field says what is wrong
    page.get_by_test_id("price-1-amount").fill("30")
    page.get_by_test_id("price-1-quantity").fill("5")
    page.get_by_test_id("save-prices").focus()
    page.keyboard.press("Enter")  # the table works from the keyboard

    expect(page.get_by_test_id("prices-status")).to_have_text("Prices saved.")
    expect(page.get_by_test_id("price-1-sold")).to_have_text("0 sold, 5 left")
    screenshot(page, "editor-prices")
    offers = owner_api.http.get(f"/api/events/{event['eventId']}/offers").json()["items"]
    assert [(p["name"], p["amount"], p["quantity"]) for p in offers[0]["prices"]] == [
        ("Standard", 1200, None),
        ("Supporter", 3000, 5),
    ]

    context = browser.new_context(base_url=admin_server.base_url, viewport=VIEWPORT)  # type: ignore[arg-type]
    viewer = context.new_page()
    viewer.goto(f"/e/{event['eventId']}")
    viewer.get_by_test_id("gate-submit").click()
    choice = viewer.get_by_test_id("price-choice")
    expect(choice.get_by_test_id("price-option")).to_have_count(2)
    choice.get_by_label(re.compile("Supporter")).check()
    expect(viewer.get_by_test_id("pay-button")).to_have_text("Pay $30.00")
    viewer.get_by_test_id("pay-button").click()
    expect(viewer.get_by_test_id("checkout-form")).to_be_visible()
    expect(viewer.locator("body")).to_contain_text("30.00")
    context.close()
