"""The admin console in a real Chromium against a real server: sign-in, the event editor, media upload and
transcode, registrations, and the admin team with role-aware menus."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.admin_fixtures import (
    AdminApi,
    admin_server,
    log_in,
    make_test_video,
    owner_api,
    owner_page,
    page,
    screenshot,
)
from tests.live_server import LiveServer

__all__ = ["admin_server", "owner_api", "owner_page", "page"]

pytestmark = pytest.mark.e2e


def unique(title: str) -> str:
    return f"{title} {secrets.token_hex(3)}"


def test_wrong_password_shows_the_error_and_the_right_one_signs_in(page: Page) -> None:
    page.goto("/admin/events")
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))
    page.get_by_test_id("login-email").fill("owner.e2e@example.com")
    page.get_by_test_id("login-password").fill("not the password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("wrong")
    screenshot(page, "login")

    log_in(page)
    expect(page).to_have_url(re.compile(r"/admin/events$"))
    expect(page.get_by_test_id("nav-admins")).to_be_visible()


def test_owner_creates_a_paid_form_event_with_two_custom_fields(owner_page: Page) -> None:
    page = owner_page
    title = unique("Paid workshop")
    page.goto("/admin/events/new")
    page.get_by_test_id("editor-title").fill(title)
    page.get_by_test_id("access-form").check()
    for index, (label, name) in enumerate([("Company", "company"), ("Job title", "job_title")]):
        page.get_by_test_id("add-form-field").click()
        page.get_by_test_id(f"formfield-{index}-label").fill(label)
        page.get_by_test_id(f"formfield-{index}-name").fill(name)
    page.get_by_test_id("formfield-0-required").check()
    page.get_by_test_id("editor-isPaidEvent").check()
    page.get_by_test_id("editor-price").fill("25")
    page.get_by_test_id("editor-currency").select_option("EUR")
    page.get_by_test_id("save-event").click()

    expect(page.get_by_test_id("editor-notice")).to_have_text("Event created.")
    expect(page).to_have_url(re.compile(r"/admin/events/[A-Za-z0-9_-]+$"))
    expect(page.get_by_test_id("activity-item").first).to_contain_text("Event created")
    screenshot(page, "editor")

    page.get_by_test_id("nav-events").click()
    row = page.get_by_test_id("event-row").filter(has_text=title)
    expect(row.get_by_test_id("status-badge")).to_have_text("Draft")
    expect(row.get_by_test_id("event-price")).to_contain_text("25")
    expect(row).to_contain_text("Form")
    screenshot(page, "events")


def test_uploaded_video_transcodes_and_plays_in_the_preview(
    owner_page: Page, owner_api: AdminApi, tmp_path: Path
) -> None:
    page = owner_page
    event = owner_api.create_event(title=unique("On-demand keynote"), eventType="vod")
    video = make_test_video(tmp_path)
    # Remember every progress bar the page ever showed: a 2 s clip uploads in a blink.
    page.add_init_script(
        """
        window.__seen = new Set();
        new MutationObserver(() => {
          for (const bar of document.querySelectorAll('[role=progressbar][data-testid]')) {
            window.__seen.add(bar.dataset.testid);
          }
        }).observe(document, { subtree: true, childList: true, attributes: true });
        """
    )
    page.goto(f"/admin/events/{event['eventId']}")
    panel = page.get_by_test_id("media-panel")
    expect(panel.get_by_test_id("media-empty")).to_be_visible()

    panel.get_by_test_id("media-file-input").set_input_files(str(video))
    expect(panel.get_by_test_id("media-status")).to_have_attribute(
        "data-status", re.compile("uploaded|processing|ready")
    )
    expect(panel.get_by_test_id("media-status")).to_have_attribute("data-status", "ready", timeout=60_000)
    seen = page.evaluate("[...window.__seen]")
    assert "upload-progress-bar" in seen, seen

    expect(panel.get_by_test_id("rendition-row").first).to_be_visible()
    expect(panel.get_by_test_id("media-poster")).to_be_visible()
    expect(panel.get_by_test_id("media-duration")).to_have_text(re.compile(r"0:0[12]"))
    panel.get_by_test_id("media-preview-play").click()
    expect(panel.get_by_test_id("video")).to_be_attached()
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=media-panel] video')?.currentTime ?? 0) > 0.3",
        timeout=20_000,
    )
    page.get_by_test_id("media-panel").scroll_into_view_if_needed()
    screenshot(page, "media")

    panel.get_by_test_id("media-delete").click()
    page.get_by_test_id("confirm-accept").click()
    expect(panel.get_by_test_id("media-empty")).to_be_visible()


def test_a_file_that_is_not_a_video_is_refused_with_the_servers_reason(
    owner_page: Page, owner_api: AdminApi, tmp_path: Path
) -> None:
    page = owner_page
    event = owner_api.create_event(title=unique("Rejected upload"), eventType="vod")
    not_a_video = tmp_path / "notes.mp4"
    not_a_video.write_bytes(b"these are meeting notes, not a video\n" * 200)
    page.goto(f"/admin/events/{event['eventId']}")
    panel = page.get_by_test_id("media-panel")
    panel.get_by_test_id("media-file-input").set_input_files(str(not_a_video))
    error = panel.get_by_test_id("upload-error")
    expect(error).to_be_visible()
    expect(error).not_to_contain_text("interrupted")
    expect(panel.get_by_test_id("media-file-input")).to_be_attached()  # retry by uploading again


def test_a_viewer_registration_appears_in_the_registrations_table(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer
) -> None:
    page = owner_page
    fields = [
        {"name": "name", "label": "Full name", "type": "text", "required": True, "options": []},
        {"name": "email", "label": "Email", "type": "email", "required": True, "options": []},
        {"name": "company", "label": "Company", "type": "text", "required": False, "options": []},
    ]
    event = owner_api.create_event(title=unique("Partner briefing"), accessType="form", formFields=fields)
    owner_api.transition(event["eventId"], "scheduled")
    registered = httpx.post(
        f"{admin_server.base_url}/api/registrations",
        json={
            "eventId": event["eventId"],
            "clientViewerId": "e2e-viewer-" + secrets.token_hex(4),
            "formData": {"name": "Ada Lovelace", "email": "ada@example.com", "company": "Analytical Engines"},
        },
        timeout=30,
    )
    assert registered.status_code == 200, registered.text
    # the same address from another browser is the same person: asked for the emailed code, no second row
    again = httpx.post(
        f"{admin_server.base_url}/api/registrations",
        json={
            "eventId": event["eventId"],
            "clientViewerId": "e2e-phone-" + secrets.token_hex(4),
            "formData": {"name": "Someone Else", "email": "ada@example.com", "company": "Other"},
        },
        timeout=30,
    )
    assert again.status_code == 200 and again.json()["codeSent"] is True, again.text

    page.goto(f"/admin/events/{event['eventId']}")
    page.get_by_test_id("registrations-link").click()
    page.get_by_test_id("filter-verified").select_option("true")
    row = page.get_by_test_id("registration-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("registration-name")).to_have_text("Ada Lovelace")
    expect(row.get_by_test_id("registration-email")).to_have_text("ada@example.com")
    expect(row.get_by_test_id("registration-field-company")).to_have_text("Analytical Engines")
    expect(page.get_by_test_id("registrations-csv")).to_have_attribute("href", re.compile(r"format=csv"))
    screenshot(page, "registrations")

    page.get_by_test_id("registrations-search").fill("nobody-matches-this")
    expect(page.get_by_test_id("registrations-empty")).to_be_visible()


def test_owner_adds_an_editor_who_sees_no_admins_menu_and_no_delete(owner_page: Page, owner_api: AdminApi) -> None:
    page = owner_page
    event = owner_api.create_event(title=unique("Editor's event"))
    email = f"editor-{secrets.token_hex(3)}@example.com"
    page.get_by_test_id("nav-admins").click()
    page.get_by_test_id("new-admin-name").fill("Eddie Editor")
    page.get_by_test_id("new-admin-email").fill(email)
    page.get_by_test_id("new-admin-password").fill("short")
    page.get_by_test_id("new-admin-submit").click()
    expect(page.get_by_test_id("error-password")).to_be_visible()

    page.get_by_test_id("new-admin-password").fill("editor password 1")
    page.get_by_test_id("new-admin-role").select_option("editor")
    page.get_by_test_id("new-admin-submit").click()
    row = page.get_by_test_id("admin-row").filter(has_text=email)
    expect(row.get_by_test_id("admin-role")).to_have_value("editor")
    expect(row.get_by_test_id("admin-status")).to_have_text("active")
    screenshot(page, "admins")

    own_row = page.get_by_test_id("admin-row").filter(has_text="owner.e2e@example.com")
    own_row.get_by_test_id("admin-deactivate").click()
    expect(page.get_by_test_id("admins-error")).to_contain_text("last active owner")

    page.get_by_test_id("logout").click()
    log_in(page, email, "editor password 1")
    expect(page.get_by_test_id("current-admin")).to_contain_text("editor")
    expect(page.get_by_test_id("nav-events")).to_be_visible()
    expect(page.get_by_test_id("nav-admins")).to_have_count(0)
    page.goto(f"/admin/events/{event['eventId']}")
    expect(page.get_by_test_id("save-event")).to_be_visible()
    expect(page.get_by_test_id("delete-event")).to_have_count(0)
