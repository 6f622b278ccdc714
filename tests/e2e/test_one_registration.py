"""One person, one registration (issue 19, item 7) in real Chromium: a second browser that fills in the form
with an address that already registered is taken to the emailed code instead of registering again, and
the registrations list still shows one person, now with two devices."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, Site
from tests.e2e.test_viewer_gates import pass_gate_and_expect_playback

pytestmark = pytest.mark.e2e

FIELDS = [
    {"name": "name", "label": "Name", "type": "text", "required": True},
    {"name": "email", "label": "Email", "type": "email", "required": True},
    {"name": "company", "label": "Company", "type": "text"},
]


def test_the_form_sent_again_from_another_browser_asks_for_the_code_and_keeps_one_person(
    site: Site, page: Page, browser: Browser
) -> None:
    event_id = site.open_event(title="Partner summit", accessType="form", formFields=FIELDS)
    page.goto(site.url(f"/e/{event_id}"))
    page.get_by_test_id("field-name").fill("Ada Lovelace")
    page.get_by_test_id("field-email").fill("ada.summit@example.com")
    page.get_by_test_id("field-company").fill("Analytical Engines")
    pass_gate_and_expect_playback(page)

    other = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        phone = other.new_page()
        phone.goto(site.url(f"/e/{event_id}"))
        phone.get_by_test_id("field-name").fill("Somebody Else")
        phone.get_by_test_id("field-email").fill("ada.summit@example.com")
        phone.get_by_test_id("field-company").fill("Other Co")
        phone.get_by_test_id("gate-submit").click()

        expect(phone.get_by_test_id("already-registered")).to_be_visible()
        expect(phone.get_by_test_id("code-sent")).to_contain_text("ada.summit@example.com")
        code = re.search(r"\b(\d{6})\b", site.smtp.wait_for("ada.summit@example.com").text)
        assert code is not None
        phone.get_by_test_id("field-code").fill(code.group(1))
        pass_gate_and_expect_playback(phone)
    finally:
        other.close()

    listed = httpx.get(
        site.url(f"/api/events/{event_id}/registrations"), params={"accessVerified": "true"}, headers=site.admin_headers
    ).json()
    [ada] = listed["items"]
    assert ada["deviceCount"] == 2 and ada["name"] == "Ada Lovelace"
    assert ada["formData"]["company"] == "Analytical Engines"  # the second browser's answers were not applied
