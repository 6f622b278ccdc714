"""The embed code the console gives, pasted into a page on another origin: the player fills the width at
16:9, the iframe grows for a gate card taller than that (a 4-field form is never clipped, on a wide or a
phone-sized page), and shrinks back to 16:9 once the video plays."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, FrameLocator, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, VIEWPORT, ParentSite, Site
from tests.e2e.test_viewer_gates import expect_video_plays

pytestmark = pytest.mark.e2e

FOUR_FIELDS = [
    {"name": "name", "label": "Name", "type": "text", "required": True},
    {"name": "email", "label": "Email", "type": "email", "required": True},
    {"name": "plan", "label": "Plan", "type": "select", "options": ["Free", "Pro"], "required": True},
    {"name": "terms", "label": "I agree to the terms", "type": "checkbox", "required": True},
]

# Inside the embed: the gate card lies within the frame on every side, and nothing is left to scroll to.
CARD_FITS = """() => {
  const card = document.querySelector('[data-testid^=gate-]');
  const page = document.querySelector('.embed-page');
  if (card === null) return false;
  const box = card.getBoundingClientRect();
  return box.bottom <= window.innerHeight + 1 && box.left >= 0 && box.right <= window.innerWidth + 1
    && page.scrollHeight <= page.clientHeight + 1 && page.scrollWidth <= page.clientWidth + 1;
}"""


def embed_code_from_the_console(site: Site, browser: Browser, event_id: str) -> str:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        console = context.new_page()
        console.goto(site.url("/admin/login"))
        console.get_by_test_id("login-email").fill(ADMIN_EMAIL)
        console.get_by_test_id("login-password").fill(ADMIN_PASSWORD)
        console.get_by_test_id("login-submit").click()
        console.wait_for_url("**/admin/events**")
        console.goto(site.url(f"/admin/events/{event_id}"))
        return console.get_by_test_id("embed-snippet").input_value(timeout=15_000)
    finally:
        context.close()


def embedded_frame(page: Page) -> Frame:
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None
    return frame


def expect_sixteen_by_nine(page: Page) -> None:
    page.wait_for_function(
        "() => { const r = document.querySelector('iframe').getBoundingClientRect();"
        " return Math.abs(r.height - r.width * 9 / 16) <= 1; }",
        timeout=10_000,
    )


# On the parent page: the iframe is as wide as the column it was pasted into.
FILLS_THE_COLUMN = (
    "document.querySelector('iframe').getBoundingClientRect().width === document.querySelector('main').clientWidth"
)


def test_the_embed_code_fills_the_width_grows_for_a_form_and_keeps_16_9_for_the_player(
    site: Site, page: Page, browser: Browser, parent_site: ParentSite, clip: Path
) -> None:
    parent_origin = f"http://127.0.0.1:{parent_site.port}"  # another origin than the server's port
    event_id = site.open_event(
        title="Partner launch",
        accessType="form",
        formFields=FOUR_FIELDS,
        video=clip,
        embedSettings={"allowedDomains": [parent_origin]},
    )
    snippet = embed_code_from_the_console(site, browser, event_id)
    assert "<script" in snippet, snippet
    parent_site.publish(
        "fit.html",
        "<!doctype html><meta name='viewport' content='width=device-width'><title>Partner</title>"
        "<main style='max-width:640px;margin:0 auto;font:16px sans-serif'><h1>Partner page</h1>"
        f"{snippet}<p>After the player.</p></main>",
    )

    page.goto(parent_site.url("127.0.0.1", "fit.html"))
    frame: FrameLocator = page.frame_locator("iframe")
    expect(frame.get_by_test_id("gate-form")).to_be_visible(timeout=10_000)
    page.wait_for_function(FILLS_THE_COLUMN + " && document.querySelector('main').clientWidth === 640")
    # the 4-field card is taller than 360 px (16:9 of 640): the iframe makes room for all of it
    page.wait_for_function("() => document.querySelector('iframe').getBoundingClientRect().height > 360")
    embedded_frame(page).wait_for_function(CARD_FITS, timeout=10_000)

    # A phone: the same code fills the narrow column and the card still fits.
    page.set_viewport_size({"width": 360, "height": 640})
    page.wait_for_function(FILLS_THE_COLUMN + " && document.querySelector('main').clientWidth < 360")
    embedded_frame(page).wait_for_function(CARD_FITS, timeout=10_000)
    page.set_viewport_size(VIEWPORT)  # type: ignore[arg-type]

    # A field error makes the card taller: still all there.
    frame.get_by_test_id("gate-submit").click()
    expect(frame.get_by_test_id("field-error-name")).to_be_visible()
    embedded_frame(page).wait_for_function(CARD_FITS, timeout=10_000)

    frame.get_by_test_id("field-name").fill("Ada Lovelace")
    frame.get_by_test_id("field-email").fill("ada.embed@example.com")
    frame.get_by_test_id("field-plan").select_option("Pro")
    frame.get_by_test_id("field-terms").check()
    frame.get_by_test_id("gate-submit").click()
    expect(frame.get_by_test_id("player").first).to_be_visible()
    expect_sixteen_by_nine(page)  # back to the player's shape
    page.wait_for_function(FILLS_THE_COLUMN)
    frame.get_by_test_id("big-play").click()  # embeds do not autoplay unless the event says so
    expect_video_plays(embedded_frame(page))  # type: ignore[arg-type]
    expect_sixteen_by_nine(page)
