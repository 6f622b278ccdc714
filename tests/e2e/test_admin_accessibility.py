"""The console's main pages in a real Chromium: axe-core finds nothing serious, a keyboard user can skip the
navigation, targets are big enough to touch, and the editor loads no player or video before play."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.admin_fixtures import AdminApi, admin_server, log_in, make_test_video, owner_api, owner_page, page
from tests.e2e.axe import assert_accessible
from tests.live_server import LiveServer

__all__ = ["admin_server", "owner_api", "owner_page", "page"]

pytestmark = pytest.mark.e2e

FORM_FIELDS = [
    {"name": "name", "label": "Full name", "type": "text", "required": True, "options": []},
    {"name": "company", "label": "Company", "type": "text", "required": False, "options": []},
]


def ready_video_event(owner_api: AdminApi, admin_server: LiveServer, tmp_path: Path) -> str:
    event_id = str(owner_api.create_event(title=f"Keynote {secrets.token_hex(3)}", eventType="vod")["eventId"])
    imported = admin_server.cli("media", "import", event_id, str(make_test_video(tmp_path)), check=False)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    return event_id


def test_login_events_list_and_editor_have_no_serious_axe_violations(
    page: Page, owner_api: AdminApi, admin_server: LiveServer, tmp_path: Path
) -> None:
    video_id = ready_video_event(owner_api, admin_server, tmp_path)
    owner_api.transition(video_id, "scheduled")
    owner_api.transition(video_id, "live")
    form_id = owner_api.create_event(
        title=f"Workshop {secrets.token_hex(3)}", accessType="form", formFields=FORM_FIELDS, isPaidEvent=True,
        priceAmount=900, currency="EUR",
    )["eventId"]  # fmt: skip

    page.goto("/admin/login")
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    assert_accessible(page, "the login page")

    log_in(page)
    expect(page.get_by_test_id("event-row").first).to_be_visible()
    assert_accessible(page, "the events list")

    for event_id in (video_id, form_id):
        page.goto(f"/admin/events/{event_id}")
        expect(page.get_by_test_id("event-editor")).to_be_visible()
        expect(page.get_by_test_id("activity-item").first).to_be_visible()
        assert_accessible(page, f"the editor of {event_id}")


def test_the_editor_loads_no_player_library_and_no_video_until_play_is_pressed(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer, tmp_path: Path
) -> None:
    page = owner_page
    event_id = ready_video_event(owner_api, admin_server, tmp_path)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"/admin/events/{event_id}")
    panel = page.get_by_test_id("media-panel")
    expect(panel.get_by_test_id("media-preview-play")).to_be_visible()
    page.wait_for_load_state("networkidle")
    media_before_play = [url for url in requested if "/media/" in url and not url.split("?")[0].endswith(".jpg")]
    assert media_before_play == [], media_before_play  # the poster only: no playlist, no segment
    assert not [url for url in requested if "hls" in url.rsplit("/", 1)[-1].lower()], requested

    panel.get_by_test_id("media-preview-play").click()
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=media-panel] video')?.currentTime ?? 0) > 0.3",
        timeout=20_000,
    )
    assert [url for url in requested if ".m3u8" in url], "the video did not load on play"


def test_the_first_tab_stop_skips_the_navigation_to_the_page(owner_page: Page, owner_api: AdminApi) -> None:
    page = owner_page
    owner_api.create_event(title=f"Skip test {secrets.token_hex(3)}")
    page.goto("/admin/events")
    expect(page.get_by_test_id("event-row").first).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown while focused, not only to screen readers
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the page, past Events / Analytics / Payments / Admins
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_every_control_of_the_events_list_is_big_enough_to_touch(owner_page: Page, owner_api: AdminApi) -> None:
    page = owner_page
    live_id = owner_api.create_event(title=f"Touch test {secrets.token_hex(3)}", eventType="live")["eventId"]
    owner_api.transition(live_id, "scheduled")  # its row also links the control room
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/admin/events")
        expect(page.get_by_test_id("event-row").first).to_be_visible()
        targets = page.locator("main").locator("a, button, input, select")
        too_small = []
        for index in range(targets.count()):
            box = targets.nth(index).bounding_box()
            if box is None:
                continue  # not rendered at this size
            label = targets.nth(index).evaluate("e => e.dataset.testid || e.textContent.trim() || e.tagName")
            if box["height"] < 24 or box["width"] < 24:
                too_small.append((label, round(box["width"]), round(box["height"])))
        assert too_small == [], (width, too_small)
        title_links = page.get_by_test_id("event-title-link")
        for index in range(title_links.count()):
            box = title_links.nth(index).bounding_box()
            assert box is not None and box["height"] >= 44, box  # the row's main target: 44 px, finger-sized
