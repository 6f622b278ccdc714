"""The viewer site's account pages in Chromium: sign up, open the emailed link on another device (signed in
there), sign in without a password with an emailed code, see both devices and sign the other one out, download
the account's data and delete it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import SCREENSHOTS, Site

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 780}
PASSWORD = "a quiet lantern by the harbour"


def emailed_link(site: Site, email: str, page: str) -> str:
    found = re.search(rf"(https?://\S+/account/{page}\?email=\S+&code=\d{{6}})", site.smtp.wait_for(email).text)
    assert found is not None, "no link in the email"
    return found.group(1)


def test_sign_up_confirm_elsewhere_sign_in_by_code_end_the_other_session_export_and_delete(
    site: Site, browser: Browser
) -> None:
    laptop = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    phone = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        page = laptop.new_page()
        page.goto(site.url("/account/signup"))
        page.get_by_test_id("account-email").fill("ada@example.com")
        page.get_by_test_id("account-password").fill("password123")
        page.get_by_test_id("account-submit").click()
        expect(page.get_by_test_id("account-password-error")).to_be_visible()  # a common password, refused
        page.get_by_test_id("account-password").fill(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("account-verify")).to_contain_text("ada@example.com")

        # The link in the email, opened on the phone: confirmed and signed in there, no code typed
        on_phone = phone.new_page()
        on_phone.goto(emailed_link(site, "ada@example.com", "verify"))
        expect(on_phone.get_by_test_id("account-identity")).to_have_text("ada@example.com")
        expect(on_phone.get_by_test_id("account-session")).to_have_count(1)

        # The laptop signs in with an emailed code instead of the password
        page.goto(site.url("/account/login"))
        page.get_by_test_id("account-email").fill("ada@example.com")
        page.get_by_test_id("account-use-code").click()
        page.get_by_test_id("account-submit").click()
        expect(page.get_by_test_id("account-code-sent")).to_contain_text("ada@example.com")
        code = re.search(r"\b(\d{6})\b", site.smtp.wait_for("ada@example.com").text)
        assert code is not None
        page.get_by_test_id("account-code").fill(code.group(1))
        page.get_by_test_id("account-submit").click()
        sessions = page.get_by_test_id("account-session")
        expect(sessions).to_have_count(2)
        expect(sessions.filter(has_text="(this device)")).to_have_count(1)
        page.screenshot(path=str(SCREENSHOTS / "account-devices.png"), full_page=True)

        # Ending the phone's session signs the phone out at its next request
        sessions.filter(has_not_text="(this device)").get_by_role("button", name="Sign out").click()
        expect(sessions).to_have_count(1)
        on_phone.reload()
        expect(on_phone.get_by_test_id("account-login")).to_be_visible()

        # The data download, then deleting the account (the password asked again) signs it out everywhere
        with page.expect_download() as download:
            page.get_by_test_id("account-export").click()
        assert '"email": "ada@example.com"' in Path(download.value.path()).read_text().replace('":"', '": "')
        page.get_by_test_id("account-delete").click()
        page.get_by_test_id("account-delete-password").fill(PASSWORD)
        page.get_by_test_id("account-delete-confirm").click()
        expect(page.get_by_test_id("account-signup")).to_be_visible()
        page.goto(site.url("/account"))
        expect(page.get_by_test_id("account-login")).to_be_visible()
    finally:
        laptop.close()
        phone.close()
