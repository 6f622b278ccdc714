"""The console's Email log in a real Chromium on a phone-sized screen: the codes the platform sent, filtered
by recipient, read, resent through real SMTP, exported as CSV; and the event editor's notice once an event's
password budget is spent."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Site, running_site
from tests.support import code_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 780}
EVENT_PASSWORD_BUDGET = 3


@pytest.fixture(scope="module")
def site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(
        fresh_database_url,
        tmp_path_factory.mktemp("email-log"),
        GOLIVE_EMBEDDED_WORKER="false",
        GOLIVE_VIEWER_PASSWORD_MAX_FAILURES_PER_EVENT=str(EVENT_PASSWORD_BUDGET),
    ) as running:
        yield running


@pytest.fixture
def phone(site: Site, browser: Browser) -> Iterator[Page]:
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


def ask_code(site: Site, event_id: str, email: str) -> None:
    body = {"eventId": event_id, "clientViewerId": secrets.token_hex(8), "email": email}
    response = httpx.post(site.url("/api/registrations"), json=body)
    assert response.status_code == 200 and response.json()["codeSent"] is True, response.text


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_an_admin_finds_reads_resends_and_exports_an_email_on_a_phone(site: Site, phone: Page, tmp_path: Path) -> None:
    event_id = site.open_event(title="Email log town hall", accessType="email")
    ask_code(site, event_id, "lost.viewer@example.com")
    ask_code(site, event_id, "other.viewer@example.com")
    first_code = code_in(site.smtp.wait_for("lost.viewer@example.com").text)

    phone.get_by_role("button", name="Menu").click()
    phone.get_by_test_id("nav-emails").click()
    expect(phone.get_by_role("heading", name="Email log")).to_be_visible()
    expect(phone.get_by_test_id("email-row")).to_have_count(2)
    assert fits_the_screen(phone)

    phone.get_by_label("Search by recipient").fill("lost.viewer")
    rows = phone.get_by_test_id("email-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("email-recipient")).to_have_text("lost.viewer@example.com")
    expect(rows.first.get_by_test_id("email-type")).to_have_text("Access code")
    expect(rows.first.get_by_test_id("email-status")).to_have_text("Sent")
    rows.first.get_by_text("Show message").click()
    expect(rows.first.get_by_test_id("email-body")).to_contain_text(first_code)

    resend = rows.first.get_by_role("button", name="Resend to lost.viewer@example.com")
    resend.focus()
    phone.keyboard.press("Enter")  # works from the keyboard
    expect(phone.get_by_test_id("emails-notice")).to_have_text("Sent again to lost.viewer@example.com.")
    again = site.smtp.wait_for("lost.viewer@example.com")
    assert sum(1 for m in site.smtp.received if "lost.viewer@example.com" in m.recipients) == 2
    assert code_in(again.text) == first_code
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_text("Resent copy")).to_be_visible()
    assert fits_the_screen(phone)

    phone.get_by_label("Status").select_option("failed")
    expect(phone.get_by_test_id("emails-empty")).to_have_text("No emails match these filters.")
    phone.get_by_label("Status").select_option("")
    expect(rows).to_have_count(2)

    with phone.expect_download() as download:
        phone.get_by_test_id("emails-csv").click()
    saved = tmp_path / "emails.csv"
    download.value.save_as(saved)
    exported = list(csv.DictReader(io.StringIO(saved.read_text())))
    assert [row["recipientEmail"] for row in exported] == ["lost.viewer@example.com"] * 2  # the filter applies
    assert exported[0]["resentFromId"] == exported[1]["emailId"]


def test_the_event_editor_says_when_someone_is_guessing_the_password(site: Site, phone: Page) -> None:
    event_id = site.open_event(title="Guarded premiere", accessType="password", accessPassword="right password")
    for n in range(EVENT_PASSWORD_BUDGET):
        body = {"eventId": event_id, "clientViewerId": secrets.token_hex(8), "password": f"guess {n}"}
        assert httpx.post(site.url("/api/registrations"), json=body).status_code == 403

    phone.goto(f"/admin/events/{event_id}")
    notice = phone.get_by_test_id("password-guess-notice")
    expect(notice).to_contain_text("Someone is guessing this event's password")
    expect(notice).to_contain_text("set a new one")
    assert fits_the_screen(phone)
