"""Gate cards say the truth: a paid event its price and "Pay and watch" before anything else, "I already
paid" only where it helps; a live event not started its countdown; an on-demand event without a video
"No video yet" rather than "the stream has not started"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site

pytestmark = pytest.mark.e2e


def scheduled_live_event(site: Site, starts_in: timedelta, **fields: object) -> str:
    """A live event viewers can already open (scheduled), starting later."""
    start = datetime.now(UTC) + starts_in
    event = httpx.post(
        site.url("/api/events"),
        json={
            "title": "Launch night",
            "eventType": "live",
            "scheduledStart": start.isoformat(),
            "scheduledEnd": (start + timedelta(hours=1)).isoformat(),
            **fields,
        },
        headers=site.admin_headers,
    )
    assert event.status_code == 201, event.text
    event_id = str(event.json()["eventId"])
    moved = httpx.post(
        site.url(f"/api/events/{event_id}/transitions"), json={"to": "scheduled"}, headers=site.admin_headers
    )
    assert moved.status_code == 200, moved.text
    return event_id


def test_a_paid_event_says_its_price_and_pay_and_watch_up_front(site: Site, page: Page) -> None:
    event_id = site.open_event(title="Paid premiere", isPaidEvent=True, priceAmount=1500, currency="USD")
    page.goto(site.url(f"/e/{event_id}"))
    card = page.get_by_test_id("gate-anonymous")
    expect(card.get_by_role("heading")).to_have_text("Watch for $15.00")
    expect(card.get_by_test_id("gate-submit")).to_have_text("Pay and watch")
    expect(card).not_to_contain_text("Ready to watch")
    # the only "already paid" offered is the one that helps here: paid on another device
    expect(card.get_by_test_id("restore-purchase")).to_have_text("Already paid on another device? Restore access")

    card.get_by_test_id("gate-submit").click()
    overlay = page.get_by_test_id("payment-overlay")
    expect(overlay).to_have_attribute("data-state", "due")
    expect(page.get_by_test_id("pay-button")).to_have_text("Pay $15.00")
    expect(page.get_by_test_id("payment-recheck")).to_have_count(0)  # nothing was paid in this browser
    expect(overlay.get_by_test_id("restore-purchase")).to_be_visible()


def test_a_paid_form_event_says_the_price_and_that_paying_follows(site: Site, page: Page) -> None:
    fields = [{"name": "name", "label": "Name", "type": "text", "required": True}]
    event_id = site.open_event(
        title="Paid workshop", accessType="form", formFields=fields, isPaidEvent=True, priceAmount=900, currency="USD"
    )
    page.goto(site.url(f"/e/{event_id}"))
    card = page.get_by_test_id("gate-form")
    expect(card).to_contain_text("Watching this event costs $9.00; you pay after this step.")
    expect(card.get_by_test_id("gate-submit")).to_have_text("Register, then pay")


def test_a_live_event_not_started_counts_down_instead_of_ready_to_watch(site: Site, page: Page) -> None:
    event_id = scheduled_live_event(site, timedelta(hours=2))
    page.goto(site.url(f"/e/{event_id}"))
    card = page.get_by_test_id("gate-anonymous")
    expect(card.get_by_role("heading")).to_have_text("Starting soon")
    expect(card.get_by_test_id("countdown")).to_contain_text("Starts in")
    expect(card.get_by_role("timer")).to_have_text(re.compile(r"^01:5\d:\d\d$"))  # about two hours to go
    expect(card).not_to_contain_text("Ready to watch")

    # joining early: the player counts down too, and says the event has not started
    card.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("player-not-started").get_by_role("timer")).to_be_visible()


def test_an_on_demand_event_without_a_video_says_no_video_yet(site: Site, page: Page) -> None:
    event_id = site.open_event(title="Coming soon", eventType="vod")
    page.goto(site.url(f"/e/{event_id}"))
    page.get_by_test_id("gate-submit").click()
    message = page.get_by_test_id("player-no-video")
    expect(message).to_contain_text("No video yet")
    expect(page.get_by_test_id("player")).not_to_contain_text("not started")
