"""An account in Chromium: sign up from a paid event's page, confirm the address, come back, pay and watch; on a
second device, signing in is enough to watch (no second payment, no restore code), and "My library" lists it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SCREENSHOTS, Site
from tests.e2e.test_admin_accounts import signed_up
from tests.e2e.test_paid_flow import SUCCEEDS, pay_with, payment_of
from tests.e2e.test_viewer_gates import expect_video_plays

# the issue asks these flows of both databases (issue 14): not shared out between the CI runs
pytestmark = [pytest.mark.e2e, pytest.mark.every_database]

PHONE = {"width": 390, "height": 780}
PASSWORD = "a quiet lantern by the harbour"


def sign_up_here(page: Page, site: Site, email: str, name: str = "") -> None:
    """The sign-up page open: the form, then the emailed code typed on the verification page."""
    page.get_by_test_id("account-email").fill(email)
    page.get_by_test_id("account-name").fill(name)
    page.get_by_test_id("account-password").fill(PASSWORD)
    page.get_by_test_id("account-submit").click()
    code = re.search(r"\b(\d{6})\b", site.smtp.wait_for(email).text)
    assert code is not None
    page.get_by_test_id("account-code").fill(code.group(1))
    page.get_by_test_id("account-submit").click()


def test_sign_up_verify_buy_then_the_second_device_signs_in_and_watches(
    site: Site, browser: Browser, clip: Path
) -> None:
    event_id = site.open_event(
        title="Members' masterclass", video=clip, isPaidEvent=True, priceAmount=1200, currency="USD"
    )
    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    phone = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        page = laptop.new_page()
        page.goto(site.url(f"/e/{event_id}"))
        page.get_by_test_id("account-link").click()  # "Sign in", then "Create an account": both come back here
        page.get_by_test_id("account-signup-link").click()
        sign_up_here(page, site, "ada@example.com")

        page.wait_for_url(f"**/e/{event_id}")
        expect(page.get_by_test_id("account-link")).to_have_text("My library")
        # this browser was seen by the sign-in, so the open gate is passed already: straight to the price
        expect(page.get_by_test_id("payment-overlay")).to_have_attribute("data-state", "due")
        page.get_by_test_id("pay-button").click()
        pay_with(page, SUCCEEDS, "ada@example.com")
        expect_video_plays(page)

        # The phone: sign in, and the purchase plays there at once
        on_phone = phone.new_page()
        on_phone.goto(site.url(f"/e/{event_id}"))
        expect(on_phone.get_by_test_id("gate-anonymous")).to_contain_text("$12.00")  # a guest here would pay
        on_phone.get_by_test_id("account-link").click()
        on_phone.get_by_test_id("account-email").fill("ada@example.com")
        on_phone.get_by_test_id("account-password").fill(PASSWORD)
        on_phone.keyboard.press("Enter")
        on_phone.wait_for_url(f"**/e/{event_id}")
        expect_video_plays(on_phone)
        expect(on_phone.get_by_test_id("payment-overlay")).to_have_count(0)

        on_phone.get_by_test_id("account-link").click()
        item = on_phone.get_by_test_id("library-item")
        expect(item).to_have_count(1)
        expect(item.get_by_test_id("library-state")).to_have_text("Watch now")
        expect(item).to_contain_text("Members' masterclass")
        on_phone.screenshot(path=str(SCREENSHOTS / "account-library.png"), full_page=True)
        item.get_by_test_id("library-play").click()
        expect_video_plays(on_phone)
    finally:
        laptop.close()
        phone.close()
    assert payment_of(site, event_id, "ada@example.com")["status"] == "succeeded"  # one payment, for both devices


def test_the_profile_picker_asks_for_a_pin_and_a_kids_profile_cannot_open_it(site: Site, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(site.url("/account/signup"))
        sign_up_here(page, site, "kim@example.com", name="Kim")
        expect(page.get_by_test_id("profile-row")).to_have_count(1)  # one profile: chosen without asking

        for count, (name, kids, pin) in enumerate((("Grown-up", False, "4321"), ("Sam", True, "")), start=2):
            page.get_by_test_id("profile-name").fill(name)
            if kids:
                page.get_by_test_id("profile-kids").check()
            page.get_by_test_id("profile-new-pin").fill(pin)
            page.get_by_test_id("profile-add").click()
            expect(page.get_by_test_id("profile-row")).to_have_count(count)
            expect(page.get_by_test_id("profile-name")).to_have_value("")

        page.get_by_test_id("profile-switch").click()
        tiles = page.get_by_test_id("profile-tile")
        expect(tiles).to_have_count(3)
        page.screenshot(path=str(SCREENSHOTS / "account-profile-picker.png"), full_page=True)
        tiles.filter(has_text="Grown-up").click()
        page.get_by_test_id("profile-pin").fill("9999")
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("That PIN is not right")
        page.get_by_test_id("profile-pin").fill("4321")
        page.get_by_test_id("profile-pin-submit").click()
        expect(page.get_by_test_id("profile-row").filter(has_text="(watching here)")).to_contain_text("Grown-up")

        page.get_by_test_id("profile-switch").click()
        page.get_by_test_id("profile-tile").filter(has_text="Sam").click()
        expect(page.get_by_test_id("account-home")).to_contain_text("Kids profile")  # no settings for Sam
        page.get_by_test_id("profile-switch").click()
        page.get_by_test_id("profile-tile").filter(has_text="Grown-up").click()
        page.get_by_test_id("profile-pin").fill("4321")
        page.get_by_test_id("profile-pin-submit").click()
        expect(page.get_by_role("alert")).to_contain_text("A kids profile cannot open a profile that has a PIN")
    finally:
        context.close()


def test_a_signed_in_viewer_finds_the_registration_form_filled_with_what_the_account_knows(
    site: Site, browser: Browser
) -> None:
    fields = [
        {"name": "name", "label": "Name", "type": "text", "required": True},
        {"name": "email", "label": "Email", "type": "email", "required": True},
        {"name": "company", "label": "Company", "type": "text", "required": True},
    ]
    event_id = site.open_event(title="Partner briefing", accessType="form", formFields=fields)
    signed_up(site, "lea@example.com", "Lea Partner")
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(site.url(f"/account/login?next=/e/{event_id}"))
        page.get_by_test_id("account-email").fill("lea@example.com")
        page.get_by_test_id("account-password").fill(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/e/{event_id}")
        expect(page.get_by_test_id("field-email")).to_have_value("lea@example.com")
        expect(page.get_by_test_id("field-name")).to_have_value("Lea Partner")
        expect(page.get_by_test_id("field-company")).to_have_value("")  # the organiser's own question is asked
        page.get_by_test_id("field-company").fill("Acme")
        page.get_by_test_id("gate-submit").click()
        expect(page.get_by_test_id("player").first).to_be_visible()
    finally:
        context.close()
