"""The console's accounts screen in Chromium: search the audience, open an account (its profiles, devices and
what it holds), sign it out everywhere and disable it."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS, Site
from tests.e2e.test_complimentary_access import console  # noqa: F401  (the signed-in console, phone-sized)

pytestmark = pytest.mark.e2e

PASSWORD = "a quiet lantern by the harbour"


TIMEOUT = 30  # a loaded CI machine can take longer than httpx's 5 s default


def signed_up(site: Site, email: str, name: str) -> str:
    """An account made through the API; its token."""
    signup = {"email": email, "password": PASSWORD, "name": name}
    assert httpx.post(site.url("/api/account/signup"), json=signup, timeout=TIMEOUT).status_code == 202
    code = re.search(r"\b(\d{6})\b", site.smtp.wait_for(email).text)
    assert code is not None
    verified = httpx.post(
        site.url("/api/account/verify"), json={"email": email, "code": code.group(1)}, timeout=TIMEOUT
    )
    assert verified.status_code == 200, verified.text
    return str(verified.json()["token"])


def test_an_admin_finds_an_account_sees_what_it_holds_and_disables_it(site: Site, console: Page) -> None:  # noqa: F811
    token = signed_up(site, "nadia@example.com", "Nadia Reader")
    event_id = site.open_event(title="Open rehearsal")
    admitted = httpx.post(
        site.url("/api/registrations"),
        json={"eventId": event_id, "clientViewerId": "browser-of-nadia"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=TIMEOUT,
    )
    assert admitted.json()["accessVerified"] is True

    console.goto("/admin/accounts")
    console.get_by_test_id("accounts-search").fill("nadia")
    expect(console).to_have_url(re.compile(r"/admin/accounts\?q=nadia$"))  # the search is in (debounced)
    rows = console.get_by_test_id("account-row")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="Nadia Reader").click()
    detail = console.get_by_test_id("account-detail")
    expect(detail).to_be_visible(timeout=15_000)
    expect(detail.get_by_test_id("account-profiles")).to_contain_text("Nadia Reader")
    expect(detail.get_by_test_id("account-holds")).to_contain_text("Open rehearsal")
    expect(detail.get_by_test_id("account-sessions").locator("li")).to_have_count(1)
    console.screenshot(path=str(SCREENSHOTS / "admin-account.png"), full_page=True)

    console.get_by_test_id("account-status").click()
    expect(console.get_by_test_id("account-status")).to_have_text("Enable account")
    expect(detail.get_by_test_id("account-sessions").locator("li")).to_have_count(0)  # signed out everywhere
    login = {"email": "nadia@example.com", "password": PASSWORD}
    refused = httpx.post(site.url("/api/account/login"), json=login, timeout=TIMEOUT)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "account_disabled"


def test_an_admin_gives_an_account_free_access_to_a_paid_event_and_takes_it_back(
    site: Site,
    console: Page,  # noqa: F811
) -> None:
    token = signed_up(site, "omar@example.com", "Omar Guest")
    paid = site.open_event(title="Paid keynote", isPaidEvent=True, priceAmount=1500, currency="EUR")
    browser_id = "browser-of-omar"

    def admitted() -> dict[str, object]:
        answer = httpx.post(
            site.url("/api/registrations"),
            json={"eventId": paid, "clientViewerId": browser_id},
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    assert admitted()["requiresPayment"] is True
    console.goto("/admin/accounts?q=omar")
    console.get_by_test_id("account-row").get_by_role("link", name="Omar Guest").click()
    detail = console.get_by_test_id("account-detail")
    detail.get_by_test_id("account-free-event").select_option(label="Paid keynote")
    detail.get_by_test_id("account-free-give").click()
    holds = detail.get_by_test_id("account-holds")
    expect(holds).to_contain_text("free access")
    assert admitted()["requiresPayment"] is False  # the account watches without paying

    holds.get_by_test_id("account-revoke-free").click()
    expect(holds).not_to_contain_text("free access")
    assert admitted()["requiresPayment"] is True
