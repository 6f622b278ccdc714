"""A new viewer gets through each gate in Chromium and the video plays, a returning one skips the gate, an
unadmitted one gets no playlist, playing is reported to analytics, and the embed obeys its domains."""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from golive.media.hls import grant_playback
from golive.platform.tokens import UrlSigner
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


# Seconds the <video> has actually played: the sum of its `played` ranges (a resumed start does not count).
PLAYED_SECONDS = """() => {
  const video = document.querySelector('video[data-testid=video]');
  if (!video) return 0;
  let total = 0;
  for (let i = 0; i < video.played.length; i++) total += video.played.end(i) - video.played.start(i);
  return total;
}"""


def expect_video_plays(page: Page, seconds: float = 0.5) -> None:
    """The HLS video really plays: decoded frames advance currentTime by more than `seconds`."""
    page.wait_for_function(f"() => ({PLAYED_SECONDS})() > {seconds}", timeout=15_000)
    video = page.get_by_test_id("video")
    assert video.evaluate("v => v.error === null && v.videoWidth === 320 && v.videoHeight === 180"), "not the clip"


def test_an_anonymous_viewer_watches_and_a_reload_skips_the_gate(site: Site, page: Page, clip: Path) -> None:
    event_id = site.open_event(title="Open house", video=clip)
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-anonymous")).to_be_visible()
    shoot(page, "gate-anonymous.png")
    pass_gate_and_expect_playback(page)
    expect_video_plays(page)
    shoot_player(page)

    # The returning viewer: same browser, reloaded page; the stored token goes straight to the player.
    with page.expect_request(is_playback, timeout=10_000):
        page.reload()
    expect(page.get_by_test_id("gate-anonymous")).to_have_count(0)
    expect_video_plays(page)


def test_a_form_viewer_registers_and_a_new_tab_re_enters_without_the_form(site: Site, page: Page, clip: Path) -> None:
    fields = [
        {"name": "name", "label": "Name", "type": "text", "required": True},
        {"name": "email", "label": "Email", "type": "email", "required": True},
        {"name": "plan", "label": "Plan", "type": "select", "options": ["Free", "Pro"], "required": True},
        {"name": "terms", "label": "I agree to the terms", "type": "checkbox", "required": True},
    ]
    event_id = site.open_event(title="Partner summit", accessType="form", formFields=fields, video=clip)
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-form")).to_be_visible()
    page.get_by_test_id("field-name").fill("Ada Lovelace")
    page.get_by_test_id("field-email").fill("ada@example.com")
    page.get_by_test_id("field-plan").select_option("Pro")
    page.get_by_test_id("field-terms").check()
    shoot(page, "gate-form.png")
    pass_gate_and_expect_playback(page)
    expect_video_plays(page)

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


@pytest.fixture(scope="module")
def password_event(site: Site, clip: Path) -> str:
    """A password-gated on-demand event: the password viewer watches it, the unadmitted one is refused."""
    return site.open_event(title="Board meeting", accessType="password", accessPassword="open sesame", video=clip)


def test_a_password_viewer_types_the_password(site: Site, page: Page, password_event: str) -> None:
    event_id = password_event
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-password")).to_be_visible()
    page.get_by_test_id("field-password").fill("wrong guess")
    page.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("field-error-password")).to_be_visible()
    page.get_by_test_id("field-password").fill("open sesame")
    shoot(page, "gate-password.png")
    pass_gate_and_expect_playback(page)
    expect_video_plays(page)


def test_an_email_viewer_types_the_code_from_the_email(site: Site, page: Page, clip: Path) -> None:
    event_id = site.open_event(title="Investor update", accessType="email", video=clip)
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
    expect_video_plays(page)


def test_an_unadmitted_viewer_gets_no_playlist_and_a_forged_or_expired_link_is_refused(
    site: Site, browser: Browser, password_event: str
) -> None:
    event_id = password_event
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url) if is_playback(request) else None)
        page.goto(site.url(f"/e/{event_id}"))
        expect(page.get_by_test_id("gate-password")).to_be_visible()
        assert asked == [], "the page asked for playback before the gate was passed"

        # The same browser context, straight at the API: no token, or a forged one, gets no playlist.
        playback_url = site.url(f"/api/events/{event_id}/playback")
        assert context.request.get(playback_url).status == 401
        forged = context.request.get(playback_url, headers={"Authorization": "Bearer forged.viewer.token"})
        assert forged.status == 401
        assert page.evaluate("url => fetch(url).then(r => r.status)", playback_url) == 401

        # A genuine master URL (an admin's preview) plays; the same URL altered or expired does not.
        genuine = httpx.get(playback_url, headers=site.admin_headers)
        assert genuine.status_code == 200, genuine.text
        master = urljoin(site.server.base_url, genuine.json()["playbackUrl"])
        assert context.request.get(master).text().startswith("#EXTM3U")
        parts = urlsplit(master)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        base = f"{parts.scheme}://{parts.netloc}{parts.path}"
        signature = query["sig"]
        tampered = ("A" if signature[0] != "A" else "B") + signature[1:]
        signer = UrlSigner(site.server.env["GOLIVE_SECRET_KEY"])
        expired = grant_playback(signer, query["pfx"], ttl_seconds=-60)  # correctly signed, a minute ago
        refused = {
            "forged signature": f"{base}?exp={query['exp']}&sig={tampered}&pfx={query['pfx']}",
            "extended expiry": f"{base}?exp={int(query['exp']) + 3600}&sig={signature}&pfx={query['pfx']}",
            "expired signature": f"{base}?{expired.query}",
            "no signature": base,
        }
        for case, url in refused.items():
            response = context.request.get(url)
            assert response.status == 403, f"{case}: {response.status}"
            assert "#EXTM3U" not in response.text(), case
    finally:
        context.close()


def test_playing_in_the_browser_is_reported_to_the_analytics(site: Site, browser: Browser, clip: Path) -> None:
    """Startup time, heartbeats (every second here) and the end sent by sendBeacon when the page goes away."""
    event_id = site.open_event(title="Analytics run", video=clip)
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        telemetry: list[tuple[int, str]] = []  # (status, body) of each request the player's telemetry made

        def record(request: Request) -> None:
            response = request.response()
            if "/api/playback/sessions" in request.url and response is not None:
                telemetry.append((response.status, request.post_data or ""))

        page.on("requestfinished", record)
        page.goto(site.url(f"/e/{event_id}"))
        pass_gate_and_expect_playback(page)
        expect_video_plays(page, seconds=1.5)
        deadline = time.monotonic() + 10
        while not any('"heartbeat"' in body for _, body in telemetry) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        heartbeats = [status for status, body in telemetry if '"heartbeat"' in body]
        assert heartbeats and all(status == 202 for status in heartbeats), telemetry
        page.close()  # pagehide: the end goes out with navigator.sendBeacon
    finally:
        context.close()

    def report() -> tuple[dict[str, object], list[dict[str, str]]]:
        # The sessions first: once one shows its end, the dashboard read after it includes that flush too.
        exported = httpx.get(site.url(f"/api/analytics/{event_id}?format=csv"), headers=site.admin_headers)
        assert exported.status_code == 200, exported.text
        dashboard = httpx.get(site.url(f"/api/analytics/{event_id}"), headers=site.admin_headers)
        assert dashboard.status_code == 200, dashboard.text
        return dashboard.json(), list(csv.DictReader(io.StringIO(exported.text)))

    deadline = time.monotonic() + 10  # the server writes telemetry in batches, every second here
    while True:
        dashboard, sessions = report()
        if (sessions and all(row["endTime"] for row in sessions)) or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert dashboard["views"] == 1, dashboard
    qoe = dashboard["qoe"]
    assert isinstance(qoe, dict) and (qoe["startupMsP50"] or 0) > 0, qoe
    assert isinstance(dashboard["totalWatchSeconds"], int) and dashboard["totalWatchSeconds"] >= 1, dashboard
    assert dashboard["funnel"] == {"pageVisits": 1, "gatePassed": 1, "paid": None, "played": 1}, dashboard["funnel"]
    (session,) = sessions
    assert session["endTime"], session
    assert session["endReason"] == "stopped", session  # closed before the clip's end: the beacon's end
    assert int(session["startupMs"]) > 0 and session["rendition"] == "180p", session


def shoot_player(page: Page) -> None:
    """docs/screenshots/player-vod.png: the clip playing, the controls showing (a pointer over the player)."""
    page.get_by_test_id("player").first.hover()
    expect(page.locator(".player.controls-hidden")).to_have_count(0)
    shoot(page, "player-vod.png")


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
