"""A new viewer gets through each gate in Chromium, a returning one skips it, and the embed obeys its domains."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.e2e.conftest import SCREENSHOTS, VIEWPORT, ParentSite, Site

pytestmark = pytest.mark.e2e

PLAYBACK = re.compile(r"/api/events/[^/]+/playback$")


def is_playback(request: Request) -> bool:
    return bool(PLAYBACK.search(request.url))


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def pass_gate_and_expect_playback(page: Page) -> None:
    """Submits the gate; the player then asks for playback with the viewer token."""
    with page.expect_request(is_playback, timeout=10_000) as playback:
        page.get_by_test_id("gate-submit").click()
    assert (playback.value.header_value("authorization") or "").startswith("Bearer ")
    expect(page.get_by_test_id("player").first).to_be_visible()
    expect(page.locator("[data-testid^=gate-]")).to_have_count(0)


def test_an_anonymous_viewer_watches_and_a_reload_skips_the_gate(site: Site, page: Page) -> None:
    event_id = site.open_event(title="Open house")
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-anonymous")).to_be_visible()
    shoot(page, "gate-anonymous.png")
    pass_gate_and_expect_playback(page)

    with page.expect_request(is_playback, timeout=10_000):
        page.reload()
    expect(page.get_by_test_id("gate-anonymous")).to_have_count(0)


def test_a_form_viewer_registers_and_a_new_tab_re_enters_without_the_form(site: Site, page: Page) -> None:
    fields = [
        {"name": "name", "label": "Name", "type": "text", "required": True},
        {"name": "email", "label": "Email", "type": "email", "required": True},
        {"name": "plan", "label": "Plan", "type": "select", "options": ["Free", "Pro"], "required": True},
        {"name": "terms", "label": "I agree to the terms", "type": "checkbox", "required": True},
    ]
    event_id = site.open_event(title="Partner summit", accessType="form", formFields=fields)
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-form")).to_be_visible()
    page.get_by_test_id("field-name").fill("Ada Lovelace")
    page.get_by_test_id("field-email").fill("ada@example.com")
    page.get_by_test_id("field-plan").select_option("Pro")
    page.get_by_test_id("field-terms").check()
    shoot(page, "gate-form.png")
    pass_gate_and_expect_playback(page)

    # A new tab has no session token but the same clientViewerId: the server's re-entry check admits it.
    second = page.context.new_page()
    with second.expect_request(is_playback, timeout=10_000) as playback:
        second.goto(site.url(f"/e/{event_id}"))
    assert (playback.value.header_value("authorization") or "").startswith("Bearer ")
    expect(second.get_by_test_id("gate-form")).to_have_count(0)


def test_a_form_viewer_re_enters_on_a_new_device_with_a_code_from_the_email(
    site: Site, page: Page, browser: Browser
) -> None:
    fields = [
        {"name": "name", "label": "Name", "type": "text", "required": True},
        {"name": "email", "label": "Email", "type": "email", "required": True},
    ]
    event_id = site.open_event(title="Customer webinar", accessType="form", formFields=fields)
    page.goto(site.url(f"/e/{event_id}"))
    page.get_by_test_id("field-name").fill("Grace Hopper")
    page.get_by_test_id("field-email").fill("grace@example.com")
    pass_gate_and_expect_playback(page)

    # Another browser: no token, a different clientViewerId, so the form shows; the email gets them back in.
    other = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        device = other.new_page()
        device.goto(site.url(f"/e/{event_id}"))
        expect(device.get_by_test_id("gate-form")).to_be_visible()
        device.get_by_test_id("form-reentry").click()
        device.get_by_test_id("field-email").fill("grace@example.com")
        device.get_by_test_id("gate-submit").click()
        expect(device.get_by_test_id("code-sent")).to_contain_text("grace@example.com")

        received = site.smtp.wait_for("grace@example.com")
        assert "Customer webinar" in str(received.message["Subject"])
        code = re.search(r"\b(\d{6})\b", received.text)
        assert code is not None
        device.get_by_test_id("field-code").fill(code.group(1))
        pass_gate_and_expect_playback(device)
    finally:
        other.close()


def test_a_password_viewer_types_the_password(site: Site, page: Page) -> None:
    event_id = site.open_event(title="Board meeting", accessType="password", accessPassword="open sesame")
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-password")).to_be_visible()
    page.get_by_test_id("field-password").fill("wrong guess")
    page.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("field-error-password")).to_be_visible()
    page.get_by_test_id("field-password").fill("open sesame")
    shoot(page, "gate-password.png")
    pass_gate_and_expect_playback(page)


def test_an_email_viewer_types_the_code_from_the_email(site: Site, page: Page) -> None:
    event_id = site.open_event(title="Investor update", accessType="email")
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-email")).to_be_visible()
    page.get_by_test_id("field-email").fill("investor@example.com")
    page.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("code-sent")).to_be_visible()

    received = site.smtp.wait_for("investor@example.com")
    assert "Investor update" in str(received.message["Subject"])
    code = re.search(r"\b(\d{6})\b", received.text)
    assert code is not None
    page.get_by_test_id("field-code").fill(code.group(1))
    shoot(page, "gate-email.png")
    pass_gate_and_expect_playback(page)


def _parent_page(iframe_src: str) -> str:
    return (
        "<!doctype html><title>Partner page</title><h1 style='font:16px sans-serif'>Partner page</h1>"
        f"<iframe src='{iframe_src}' width='760' height='480' style='border:0'></iframe>"
    )


def test_the_embed_loads_on_an_allowed_origin_and_is_refused_elsewhere(
    site: Site, page: Page, parent_site: ParentSite
) -> None:
    allowed_origin = f"http://127.0.0.1:{parent_site.port}"
    event_id = site.open_event(title="Embedded keynote", embedSettings={"allowedDomains": [allowed_origin]})
    parent_site.publish("embed.html", _parent_page(site.url(f"/embed/{event_id}")))

    page.goto(parent_site.url("127.0.0.1", "embed.html"))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_test_id("embed")).to_be_visible(timeout=10_000)
    expect(frame.get_by_test_id("gate-anonymous")).to_be_visible()
    shoot(page, "embed.png")

    # Same page from another origin: Chromium enforces frame-ancestors and shows its error page instead.
    page.goto(parent_site.url("localhost", "embed.html"))
    embedded = next(f for f in page.frames if f is not page.main_frame)
    for _ in range(100):  # the refused frame commits Chromium's error page once the response is checked
        if embedded.url:
            break
        page.wait_for_timeout(100)
    assert embedded.url.startswith("chrome-error://"), embedded.url
    assert embedded.locator("[data-testid=embed]").count() == 0
