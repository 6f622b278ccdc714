"""Complimentary access in a real Chromium on phone-sized screens: the owner gives an address free access from
the event's Complimentary access page with the keyboard, the invitation arrives through real SMTP, the person
opens its link on their own phone, proves the address with the emailed code and watches a password event
without the password; the console then shows the claimed device, revokes with a confirmation, exports CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Site
from tests.e2e.test_viewer_gates import expect_video_plays, is_playback
from tests.support import code_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 780}
GUEST = "invited.guest@example.com"
INVITE_LINK = re.compile(r"(https?://\S+/e/[A-Za-z0-9_-]+\?invite=\S+)")


@pytest.fixture
def console(site: Site, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(base_url=site.server.base_url, viewport=PHONE, accept_downloads=True)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto("/admin/login")
    tab.get_by_test_id("login-email").fill(ADMIN_EMAIL)
    tab.get_by_test_id("login-password").fill(ADMIN_PASSWORD)
    tab.get_by_test_id("login-submit").click()
    expect(tab.get_by_role("button", name="Menu")).to_be_visible()
    yield tab
    context.close()


@pytest.fixture
def guest_phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_an_invited_person_watches_a_password_event_and_the_owner_revokes_it(
    site: Site, clip: Path, console: Page, guest_phone: Page, tmp_path: Path
) -> None:
    event_id = site.open_event(title="Private screening", accessType="password", accessPassword="s3cret!", video=clip)

    # the editor links to the page; the owner types the address and presses Enter
    console.goto(f"/admin/events/{event_id}")
    console.get_by_test_id("complimentary-link").click()
    expect(console.get_by_test_id("grants-empty")).to_be_visible()
    console.get_by_label("Email").fill(GUEST.upper())
    console.keyboard.press("Enter")
    expect(console.get_by_test_id("grants-notice")).to_contain_text(GUEST)
    row = console.get_by_test_id("grant-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("grant-status")).to_have_text("Active")
    expect(row.get_by_test_id("grant-claimed")).to_have_text("Not yet")
    assert fits_the_screen(console)

    # the invitation's link opens the email step with the address filled in, on the guest's own phone
    invitation = site.smtp.wait_for(GUEST)
    assert "Private screening" in str(invitation.message["Subject"])
    link = INVITE_LINK.search(invitation.text)
    assert link is not None, invitation.text
    guest_phone.goto(link.group(1))
    card = guest_phone.get_by_test_id("gate-invited")
    expect(card).to_be_visible()
    expect(guest_phone.get_by_test_id("field-email")).to_have_value(GUEST)
    guest_phone.get_by_test_id("gate-submit").click()
    expect(guest_phone.get_by_test_id("code-sent")).to_contain_text(GUEST)
    code = code_in(site.smtp.wait_for(GUEST).text)
    assert code and site.smtp.wait_for(GUEST).message["Subject"] != invitation.message["Subject"]
    guest_phone.get_by_test_id("field-code").fill(code)
    with guest_phone.expect_request(is_playback, timeout=15_000):
        guest_phone.get_by_test_id("gate-submit").click()
    expect_video_plays(guest_phone)
    expect(guest_phone.get_by_test_id("gate-password")).to_have_count(0)  # never asked for the password

    # the console shows the device; revoking asks first, and Cancel keeps the access
    console.reload()
    expect(row.get_by_test_id("grant-claimed")).to_have_text("1 device")
    row.get_by_test_id("grant-revoke").click()
    expect(console.get_by_test_id("confirm-dialog")).to_contain_text(GUEST)
    console.keyboard.press("Escape")
    expect(row.get_by_test_id("grant-status")).to_have_text("Active")
    row.get_by_test_id("grant-revoke").click()
    console.get_by_test_id("confirm-accept").click()
    expect(row.get_by_test_id("grant-status")).to_have_text("Revoked")
    expect(row.get_by_test_id("grant-revoke")).to_have_count(0)

    with console.expect_download() as download:
        console.get_by_test_id("grants-csv").click()
    saved = tmp_path / "grants.csv"
    download.value.save_as(saved)
    [exported] = list(csv.DictReader(io.StringIO(saved.read_text())))
    assert (exported["email"], exported["status"], exported["deviceCount"]) == (GUEST, "revoked", "1")


def test_a_password_gate_offers_the_invited_path(site: Site, guest_phone: Page) -> None:
    event_id = site.open_event(title="Members only", accessType="password", accessPassword="s3cret!")
    guest_phone.goto(site.url(f"/e/{event_id}"))
    expect(guest_phone.get_by_test_id("gate-password")).to_be_visible()
    expect(guest_phone.get_by_test_id("restore-purchase")).to_have_count(0)  # a free event: nothing to restore
    guest_phone.get_by_test_id("continue-invited").click()
    expect(guest_phone.get_by_test_id("gate-invited")).to_be_visible()
    guest_phone.get_by_test_id("invited-back").click()
    expect(guest_phone.get_by_test_id("gate-password")).to_be_visible()
