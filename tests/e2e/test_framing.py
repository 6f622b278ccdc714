"""Chromium enforces the framing headers: an event's page loads in a frame on the event's allowed domain and
nowhere else, and the admin console loads in no frame at all (no clickjacking of its buttons)."""

from __future__ import annotations

from playwright.sync_api import Frame, Page, expect

from tests.e2e.conftest import ParentSite, Site


def framing_page(src: str) -> str:
    return f"<!doctype html><title>Other site</title><iframe src='{src}' width='700' height='500'></iframe>"


def refused_frame(page: Page) -> Frame:
    """The iframe once Chromium has checked its response: a refused one commits Chromium's error page."""
    frame = next(f for f in page.frames if f is not page.main_frame)
    for _ in range(100):
        if frame.url:
            break
        page.wait_for_timeout(100)
    return frame


def test_the_event_page_is_framed_only_by_its_allowed_domain(site: Site, page: Page, parent_site: ParentSite) -> None:
    allowed_origin = f"http://127.0.0.1:{parent_site.port}"
    event_id = site.open_event(title="Framed keynote", embedSettings={"allowedDomains": [allowed_origin]})
    parent_site.publish("event.html", framing_page(site.url(f"/e/{event_id}")))

    page.goto(parent_site.url("127.0.0.1", "event.html"))
    expect(page.frame_locator("iframe").get_by_test_id("event-title")).to_have_text("Framed keynote", timeout=10_000)

    page.goto(parent_site.url("localhost", "event.html"))
    frame = refused_frame(page)
    assert frame.url.startswith("chrome-error://"), frame.url
    assert frame.locator("[data-testid=event-title]").count() == 0


def test_the_admin_console_refuses_every_frame(site: Site, page: Page, parent_site: ParentSite) -> None:
    parent_site.publish("admin.html", framing_page(site.url("/admin")))
    page.goto(parent_site.url("127.0.0.1", "admin.html"))
    frame = refused_frame(page)
    assert frame.url.startswith("chrome-error://"), frame.url
    assert frame.locator("input[type=password]").count() == 0
