"""The event editor in a real Chromium: its embed preview leaves nothing behind, and on-demand events speak
of publishing, not of going live."""

from __future__ import annotations

import re
import secrets
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.e2e.admin_fixtures import AdminApi, admin_server, log_in, make_test_video, owner_api, owner_page, page
from tests.live_server import LiveServer

__all__ = ["admin_server", "owner_api", "owner_page", "page"]

pytestmark = pytest.mark.e2e

FORM_FIELDS = [
    {"name": "name", "label": "Full name", "type": "text", "required": True, "options": []},
    {"name": "email", "label": "Email", "type": "email", "required": True, "options": []},
]


def unique(title: str) -> str:
    return f"{title} {secrets.token_hex(3)}"


def published_vod(owner_api: AdminApi, admin_server: LiveServer, tmp_path: Path, **fields: object) -> str:
    """An on-demand event with a ready video, moved to `live` (published) through the API."""
    event_id = str(owner_api.create_event(title=unique("Preview"), eventType="vod", **fields)["eventId"])
    imported = admin_server.cli("media", "import", event_id, str(make_test_video(tmp_path)), check=False)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    owner_api.transition(event_id, "scheduled")
    owner_api.transition(event_id, "live")
    return event_id


def test_the_editors_embed_preview_passes_the_gate_and_plays_without_leaving_a_viewer_a_payment_or_a_session(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer, tmp_path: Path
) -> None:
    page = owner_page
    event_id = published_vod(
        owner_api,
        admin_server,
        tmp_path,
        accessType="form",
        formFields=FORM_FIELDS,
        isPaidEvent=True,
        priceAmount=1500,
        currency="EUR",
    )
    viewer_writes: list[str] = []

    def note_viewer_write(request: Request) -> None:
        if request.method != "GET" and re.search(r"/api/(registrations|playback/sessions|payments)", request.url):
            viewer_writes.append(f"{request.method} {request.url}")

    page.on("request", note_viewer_write)
    page.goto(f"/admin/events/{event_id}")
    page.get_by_test_id("embed-preview").scroll_into_view_if_needed()  # Playwright does not scroll the page for a frame
    preview = page.frame_locator("[data-testid=embed-preview]")
    expect(preview.get_by_test_id("embed-preview-note")).to_be_visible()
    expect(preview.get_by_test_id("gate-form")).to_be_visible()
    # Enter submits (the form may be taller than the editor's small preview frame).
    preview.get_by_test_id("field-name").press("Enter")  # empty: the form still says what is missing
    expect(preview.get_by_test_id("gate-form")).to_be_visible()
    preview.get_by_test_id("field-name").fill("Admin Trying It")
    preview.get_by_test_id("field-email").fill("admin.preview@example.com")
    preview.get_by_test_id("field-email").press("Enter")

    # Past the gate (and the price): the player plays on the admin's own session.
    preview.get_by_test_id("big-play").click()
    expect(preview.get_by_test_id("video")).to_be_attached()
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=embed-preview]').contentDocument"
        ".querySelector('video')?.currentTime ?? 0) > 0.3",
        timeout=20_000,
    )
    page.reload()  # a second look at the preview: still the gate, still nothing stored
    expect(page.frame_locator("[data-testid=embed-preview]").get_by_test_id("gate-form")).to_be_visible()

    assert viewer_writes == []
    registrations = owner_api.http.get(f"/api/events/{event_id}/registrations").json()
    assert registrations["total"] == 0, registrations
    payments = owner_api.http.get("/api/payments", params={"eventId": event_id}).json()
    assert payments["total"] == 0, payments
    analytics = owner_api.http.get(f"/api/analytics/{event_id}").json()
    assert (analytics["views"], analytics["uniqueViewers"]) == (0, 0), analytics


def test_deleting_an_event_asks_in_an_in_app_dialog_that_keeps_the_keyboard_and_escape_cancels(
    owner_page: Page, owner_api: AdminApi
) -> None:
    page = owner_page
    title = unique("Doomed webinar")
    event_id = owner_api.create_event(title=title)["eventId"]
    browser_dialogs: list[str] = []
    page.on("dialog", lambda dialog: (browser_dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/admin/events/{event_id}")

    page.get_by_test_id("delete-event").click()
    dialog = page.get_by_role("alertdialog", name=f"Delete “{title}”?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Viewers will no longer be able to open it.")
    expect(page.get_by_test_id("confirm-cancel")).to_be_focused()  # Enter never deletes by accident
    for _ in range(3):  # Tab goes round the dialog's two buttons, never to the page behind
        page.keyboard.press("Tab")
    expect(page.get_by_test_id("confirm-accept")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("confirm-cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("delete-event")).to_be_focused()
    assert owner_api.http.get(f"/api/events/{event_id}").status_code == 200

    page.get_by_test_id("delete-event").click()
    page.get_by_test_id("confirm-accept").click()
    expect(page).to_have_url(re.compile(r"/admin/events$"))
    expect(page.get_by_test_id("event-row").filter(has_text=title)).to_have_count(0)
    assert browser_dialogs == []


def test_an_on_demand_video_is_published_and_unpublished_and_is_never_called_live_or_a_replay(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer, tmp_path: Path
) -> None:
    page = owner_page
    title = unique("Product tour")
    event_id = owner_api.create_event(title=title, eventType="vod")["eventId"]
    imported = admin_server.cli("media", "import", event_id, str(make_test_video(tmp_path)), check=False)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    broadcast_title = unique("Town hall")
    broadcast_id = owner_api.create_event(title=broadcast_title, eventType="live")["eventId"]
    owner_api.transition(broadcast_id, "scheduled")

    page.goto(f"/admin/events/{event_id}")
    lifecycle = page.get_by_test_id("lifecycle")
    expect(lifecycle.get_by_role("button")).to_have_text(["Publish", "Cancel event"])
    lifecycle.get_by_role("button", name="Publish").click()
    badge = page.locator("h1").get_by_test_id("status-badge")
    expect(badge).to_have_text("Published")
    expect(badge).to_have_attribute("data-status", "live")  # the API's lifecycle state is unchanged
    expect(lifecycle.get_by_role("button")).to_have_text(["Unpublish"])

    page.get_by_test_id("nav-events").click()
    video_row = page.get_by_test_id("event-row").filter(has_text=title)
    expect(video_row.get_by_test_id("status-badge")).to_have_text("Published")
    expect(video_row.get_by_test_id("status-badge")).not_to_have_class(re.compile("badge-live"))
    expect(
        page.get_by_test_id("event-row").filter(has_text=broadcast_title).get_by_test_id("status-badge")
    ).to_have_text("Scheduled")

    viewer = page.context.new_page()
    viewer.goto(f"/e/{event_id}")
    expect(viewer.get_by_test_id("status-label")).to_have_text(re.compile("on demand", re.IGNORECASE))
    expect(viewer.get_by_test_id("status-label")).not_to_have_text(re.compile("replay|live", re.IGNORECASE))
    viewer.close()

    page.get_by_test_id("event-row").filter(has_text=title).get_by_test_id("event-title-link").click()
    lifecycle.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Viewers can no longer play it")
    page.get_by_test_id("confirm-accept").click()
    expect(badge).to_have_text("Unpublished")
    assert owner_api.http.get(f"/api/events/{event_id}").json()["status"] == "archived"


def test_the_editor_fills_keys_from_labels_uses_the_browsers_zone_and_takes_the_admin_to_the_first_bad_field(
    admin_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(
        base_url=admin_server.base_url, viewport={"width": 1280, "height": 800}, timezone_id="Asia/Tokyo"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page)
    page.goto("/admin/events/new")
    expect(page.get_by_test_id("editor-timezone")).to_have_value("Asia/Tokyo")

    page.get_by_test_id("access-form").check()
    page.get_by_test_id("add-form-field").click()
    page.get_by_test_id("formfield-0-label").fill("Job title")
    expect(page.get_by_test_id("formfield-0-name")).to_have_value("job_title")
    page.get_by_test_id("formfield-0-name").fill("role")  # a key of one's own is kept
    page.get_by_test_id("formfield-0-label").fill("Your role")
    expect(page.get_by_test_id("formfield-0-name")).to_have_value("role")
    placeholder_style = page.get_by_test_id("editor-primaryColor").evaluate(
        "e => getComputedStyle(e, '::placeholder').fontStyle"
    )
    assert placeholder_style == "italic"

    # The only mistake is far down the page (the embed colour): saving takes the admin there.
    page.get_by_test_id("editor-title").fill(unique("Friction"))
    page.get_by_test_id("editor-primaryColor").fill("blue")
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_test_id("save-event").click()
    expect(page.get_by_test_id("editor-error")).to_be_visible()
    expect(page.get_by_test_id("editor-primaryColor")).to_be_focused()
    expect(page.get_by_test_id("editor-primaryColor")).to_be_in_viewport()
    context.close()


def test_the_transcode_bar_follows_ffmpegs_progress_and_the_activity_log_shows_the_outcome(
    owner_page: Page, owner_api: AdminApi, tmp_path: Path
) -> None:
    page = owner_page
    event_id = owner_api.create_event(title=unique("Long talk"), eventType="vod")["eventId"]
    video = tmp_path / "long.mp4"  # long enough that the transcode takes several progress reports
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=854x480:rate=25:duration=40",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=40",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast",
            "-c:a", "aac", "-shortest", str(video),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    page.add_init_script(
        """
        window.__percents = [];
        new MutationObserver(() => {
          const bar = document.querySelector('[data-testid=transcode-progress]');
          const value = bar && Number(bar.getAttribute('aria-valuenow'));
          if (bar && window.__percents.at(-1) !== value) window.__percents.push(value);
        }).observe(document, { subtree: true, childList: true, attributes: true });
        """
    )
    page.goto(f"/admin/events/{event_id}")
    panel = page.get_by_test_id("media-panel")
    panel.get_by_test_id("media-file-input").set_input_files(str(video))
    expect(panel.get_by_test_id("media-status")).to_have_attribute("data-status", "ready", timeout=180_000)

    percents: list[float] = page.evaluate("window.__percents")
    between = sorted({p for p in percents if 0 < p < 100})
    assert len(between) >= 2, percents  # it moved through the middle, not 0 then 100
    assert percents == sorted(percents), percents  # and only forwards

    # The start of the transcode was "pending"; without a reload it now says how it went.
    start = page.get_by_test_id("activity-item").filter(has_text="Transcode start")
    expect(start.locator(".pill")).to_have_text("success", timeout=15_000)
    expect(page.get_by_test_id("activity").locator(".pill-pending")).to_have_count(0)


def test_the_admin_picks_a_frame_as_the_poster_and_the_events_list_shows_it(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer, tmp_path: Path
) -> None:
    page = owner_page
    title, bare_title = unique("Poster pick"), unique("No video yet")
    event_id = owner_api.create_event(title=title, eventType="vod")["eventId"]
    owner_api.create_event(title=bare_title, eventType="vod")
    imported = admin_server.cli("media", "import", event_id, str(make_test_video(tmp_path)), check=False)
    assert imported.returncode == 0, imported.stdout + imported.stderr

    page.goto(f"/admin/events/{event_id}")
    panel = page.get_by_test_id("media-panel")
    before = panel.get_by_test_id("media-poster").get_attribute("src")
    panel.get_by_test_id("poster-at").fill("9")
    panel.get_by_test_id("poster-pick").click()
    expect(panel.get_by_test_id("poster-error")).to_contain_text("between 0 and")
    panel.get_by_test_id("poster-at").fill("1.5")
    panel.get_by_test_id("poster-pick").click()
    expect(panel.get_by_test_id("poster-notice")).to_contain_text("0:01")
    expect(panel.get_by_test_id("media-poster")).not_to_have_attribute("src", before or "")

    # An image of one's own (a phone-sized photo is shrunk by the browser before it is sent).
    artwork = tmp_path / "artwork.png"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "color=c=orange:s=3000x2000",
            "-frames:v",
            "1",
            str(artwork),
        ],
        check=True,
        timeout=60,
    )
    picked = panel.get_by_test_id("media-poster").get_attribute("src")
    panel.get_by_test_id("poster-file-input").set_input_files(str(artwork))
    expect(panel.get_by_test_id("poster-notice")).to_contain_text("artwork.png")
    expect(panel.get_by_test_id("media-poster")).not_to_have_attribute("src", picked or "")
    natural_width = panel.get_by_test_id("media-poster").evaluate(
        "img => img.complete ? img.naturalWidth : new Promise(done => img.onload = () => done(img.naturalWidth))"
    )
    assert natural_width == 1920

    page.get_by_test_id("nav-events").click()
    thumb = page.get_by_test_id("event-row").filter(has_text=title).get_by_test_id("event-thumb-poster")
    expect(thumb).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000)
    bare = page.get_by_test_id("event-row").filter(has_text=bare_title)
    expect(bare.locator(".event-thumb-placeholder")).to_be_visible()  # no video: the initials, no broken image
