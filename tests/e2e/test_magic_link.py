"""The link in an access-code email opens the video by itself, in the browser that asked for the code (a new
tab: no session token, a known clientViewerId) and in a fresh one (the email read on another device): for the
email gate, a form event's "continue with your email", and a paid event's "restore access"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import VIEWPORT, Site
from tests.e2e.test_paid_flow import SUCCEEDS, open_checkout, pay_with
from tests.e2e.test_viewer_gates import expect_video_plays, is_playback

pytestmark = pytest.mark.e2e

LINK = re.compile(r"(https?://\S+\?email=\S+&code=\d{6})")


@pytest.fixture
def devices(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Browsers that share nothing (each its own localStorage): the viewer's laptop, phone, ..."""
    opened: list[BrowserContext] = []

    def open_one() -> BrowserContext:
        context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
        opened.append(context)
        return context

    yield [open_one(), open_one()]
    for context in opened:
        context.close()


def emailed_link(site: Site, email: str) -> str:
    found = LINK.search(site.smtp.wait_for(email).text)
    assert found is not None, "no link in the email"
    return found.group(1)


def ask_for_code(page: Page, email: str) -> None:
    """On the email card already showing: type the address, send; the card then asks for the code."""
    page.get_by_test_id("field-email").fill(email)
    page.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("code-sent")).to_contain_text(email)


def open_link_and_expect_playback(context: BrowserContext, link: str) -> None:
    """The link alone gets the viewer in: no form, no code to type, no error, and the video plays."""
    page = context.new_page()
    with page.expect_request(is_playback, timeout=15_000) as playback:
        page.goto(link)
    assert (playback.value.header_value("authorization") or "").startswith("Bearer ")
    expect(page.get_by_test_id("gate-error")).to_have_count(0)
    expect(page.locator("[data-testid^=gate-]")).to_have_count(0)
    expect_video_plays(page)
    assert "code=" not in page.url, "the spent code stays in the address bar"


def test_the_email_gates_link_opens_the_video_in_a_fresh_browser(
    site: Site, clip: Path, devices: list[BrowserContext]
) -> None:
    laptop, phone = devices
    event_id = site.open_event(title="Link launch", accessType="email", video=clip)
    page = laptop.new_page()
    page.goto(site.url(f"/e/{event_id}"))
    ask_for_code(page, "fresh@example.com")
    open_link_and_expect_playback(phone, emailed_link(site, "fresh@example.com"))


def test_the_email_gates_link_opens_the_video_in_the_browser_that_asked(
    site: Site, clip: Path, devices: list[BrowserContext]
) -> None:
    laptop, _ = devices
    event_id = site.open_event(title="Link return", accessType="email", video=clip)
    page = laptop.new_page()
    page.goto(site.url(f"/e/{event_id}"))
    ask_for_code(page, "returning@example.com")
    open_link_and_expect_playback(laptop, emailed_link(site, "returning@example.com"))


def test_continue_with_your_email_works_by_link_on_the_new_device_and_on_another(
    site: Site, clip: Path, devices: list[BrowserContext], browser: Browser
) -> None:
    laptop, phone = devices
    fields = [
        {"name": "name", "label": "Name", "type": "text", "required": True},
        {"name": "email", "label": "Email", "type": "email", "required": True},
    ]
    event_id = site.open_event(title="Link webinar", accessType="form", formFields=fields, video=clip)
    page = laptop.new_page()
    page.goto(site.url(f"/e/{event_id}"))
    page.get_by_test_id("field-name").fill("Mary Somerville")
    page.get_by_test_id("field-email").fill("mary@example.com")
    page.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("player").first).to_be_visible()

    # The phone: "Already registered? Continue with your email", then the link from that email, in the phone...
    device = phone.new_page()
    device.goto(site.url(f"/e/{event_id}"))
    device.get_by_test_id("form-reentry").click()
    ask_for_code(device, "mary@example.com")
    open_link_and_expect_playback(phone, emailed_link(site, "mary@example.com"))

    # ... and a code asked for on a tablet, its link read in yet another browser.
    tablet = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    devices.append(tablet)
    asking = tablet.new_page()
    asking.goto(site.url(f"/e/{event_id}"))
    asking.get_by_test_id("form-reentry").click()
    ask_for_code(asking, "mary@example.com")
    link = emailed_link(site, "mary@example.com")
    fresh = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    devices.append(fresh)
    open_link_and_expect_playback(fresh, link)


def test_restore_access_works_by_link_without_paying_again(
    site: Site, clip: Path, devices: list[BrowserContext]
) -> None:
    laptop, phone = devices
    event_id = site.open_event(title="Link masterclass", video=clip, isPaidEvent=True, priceAmount=1200, currency="USD")
    paying = laptop.new_page()
    open_checkout(paying, site, event_id)
    pay_with(paying, SUCCEEDS, "payer@example.com")
    expect(paying.get_by_test_id("player").first).to_be_visible(timeout=15_000)

    device = phone.new_page()
    device.goto(site.url(f"/e/{event_id}"))
    device.get_by_test_id("restore-purchase").click()
    ask_for_code(device, "payer@example.com")
    open_link_and_expect_playback(phone, emailed_link(site, "payer@example.com"))
    assert succeeded_payments(site, event_id) == 1, "the payer paid again"


def succeeded_payments(site: Site, event_id: str) -> int:
    listed = httpx.get(
        site.url("/api/payments"), params={"eventId": event_id, "status": "succeeded"}, headers=site.admin_headers
    )
    assert listed.status_code == 200, listed.text
    return int(listed.json()["total"])
