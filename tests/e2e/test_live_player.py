"""A live event in Chromium: an encoder publishes to `golive serve`'s RTMP listener, the viewer page plays
the sliding live playlist with the LIVE badge; when the encoder stops the page says the broadcast is
interrupted (and stops counting the viewer), resumes by itself when it returns, and when the event ends
says so and offers the replay."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SCREENSHOTS, TINY_LADDER
from tests.live_server import LiveServer, free_port, run_server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

RECONNECT_WINDOW_SECONDS = 25


@pytest.fixture(scope="module")
def live_server(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, int]]:
    rtmp_port = free_port()
    with run_server(
        fresh_database_url,
        tmp_path_factory.mktemp("e2e-live"),
        GOLIVE_EMBEDDED_WORKER="true",  # the recording becomes the replay on its own
        GOLIVE_RTMP_PORT=str(rtmp_port),
        GOLIVE_LIVE_RECONNECT_WINDOW_SECONDS=str(RECONNECT_WINDOW_SECONDS),
        GOLIVE_LIVE_LADDER=json.dumps(TINY_LADDER),
        GOLIVE_LIVE_HEALTH_SECONDS="0.5",
        GOLIVE_PLAYBACK_HEARTBEAT_SECONDS="1",
    ) as server:
        server.cli("admin", "create", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD, "--name", "E2E")
        yield server, rtmp_port


def test_a_viewer_watches_the_live_stream_with_the_live_badge(
    live_server: tuple[LiveServer, int], page: Page, tmp_path: Path
) -> None:
    server, rtmp_port = live_server
    login = httpx.post(f"{server.base_url}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    admin = {"Authorization": f"Bearer {login.json()['token']}"}
    event = httpx.post(
        f"{server.base_url}/api/events", json={"title": "Live in Chromium", "eventType": "live"}, headers=admin
    ).json()
    event_id = event["eventId"]
    httpx.post(f"{server.base_url}/api/events/{event_id}/transitions", json={"to": "scheduled"}, headers=admin)
    key = httpx.get(f"{server.base_url}/api/events/{event_id}/live-input", headers=admin).json()["streamKey"]
    encoder = subprocess.Popen(
        [
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", f"rtmp://127.0.0.1:{rtmp_port}/live/{key}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "encoder.log").open("wb"),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 25
        while httpx.get(f"{server.base_url}/api/events/{event_id}").json()["status"] != "live":
            assert time.monotonic() < deadline, "the event did not go live"
            time.sleep(0.3)
        page.goto(f"{server.base_url}/e/{event_id}")
        page.get_by_test_id("gate-submit").click()
        expect(page.locator("[data-testid=player][data-live=true]")).to_be_visible(timeout=15_000)
        video = page.get_by_test_id("video")
        page.wait_for_function(
            "() => { const v = document.querySelector('video[data-testid=video]'); return v && v.currentTime > 1.5 }",
            timeout=20_000,
        )
        started = video.evaluate("v => v.currentTime")
        time.sleep(2)
        assert video.evaluate("v => v.currentTime") > started + 1, "the live stream is not advancing"
        assert video.evaluate("v => v.videoHeight") in (180, 360)  # one of the two renditions
        page.get_by_test_id("player").first.hover()
        expect(page.get_by_test_id("live-badge")).to_be_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "viewer-live.png"))

        ended = httpx.post(f"{server.base_url}/api/events/{event_id}/transitions", json={"to": "ended"}, headers=admin)
        assert ended.status_code == 200
        assert encoder.wait(timeout=15) is not None  # the ingest let the encoder go
    finally:
        if encoder.poll() is None:
            encoder.kill()
            encoder.wait()


def _encoder(rtmp_port: int, key: str, log: Path, seconds: int = 120) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", f"rtmp://127.0.0.1:{rtmp_port}/live/{key}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )  # fmt: skip


def _stop(encoder: subprocess.Popen[bytes]) -> None:
    """The encoder drops (a crash, a lost connection): no clean unpublish."""
    if encoder.poll() is None:
        encoder.kill()
    encoder.wait()


def _wait_for_viewers(base_url: str, event_id: str, admin: dict[str, str], wanted: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        seen = httpx.get(f"{base_url}/api/events/{event_id}/live-input", headers=admin).json()["viewers"]
        if seen == wanted:
            return
        time.sleep(0.5)
    raise AssertionError(f"watching now stayed {seen}, expected {wanted}")


def _playing(page: Page, timeout_ms: int) -> None:
    """The video element is advancing (not a frozen frame)."""
    page.wait_for_function(
        "() => { const v = document.querySelector('video[data-testid=video]'); return v && v.currentTime > 1 }",
        timeout=timeout_ms,
    )
    video = page.get_by_test_id("video")
    started = video.evaluate("v => v.currentTime")
    page.wait_for_function(
        f"() => document.querySelector('video[data-testid=video]')?.currentTime > {started} + 0.5", timeout=timeout_ms
    )


@pytest.mark.timeout(360)
def test_a_dropped_encoder_interrupts_the_broadcast_it_resumes_and_the_end_offers_the_replay(
    live_server: tuple[LiveServer, int], page: Page, tmp_path: Path
) -> None:
    server, rtmp_port = live_server
    base = server.base_url
    login = httpx.post(f"{base}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    admin = {"Authorization": f"Bearer {login.json()['token']}"}
    # the defaults: auto start when the encoder connects, auto end after the reconnect window
    event = httpx.post(f"{base}/api/events", json={"title": "Town hall", "eventType": "live"}, headers=admin).json()
    assert event["autoStart"] is True and event["autoEnd"] is True
    event_id = event["eventId"]
    httpx.post(f"{base}/api/events/{event_id}/transitions", json={"to": "scheduled"}, headers=admin)
    key = httpx.get(f"{base}/api/events/{event_id}/live-input", headers=admin).json()["streamKey"]
    log = tmp_path / "encoder.log"
    encoder = _encoder(rtmp_port, key, log)
    try:
        deadline = time.monotonic() + 40
        while httpx.get(f"{base}/api/events/{event_id}").json()["status"] != "live":
            assert time.monotonic() < deadline, "the event did not go live"
            time.sleep(0.3)
        page.goto(f"{base}/e/{event_id}")
        page.get_by_test_id("gate-submit").click()
        expect(page.locator("[data-testid=player][data-live=true]")).to_be_visible(timeout=20_000)
        _playing(page, 30_000)
        _wait_for_viewers(base, event_id, admin, 1, timeout=30)

        _stop(encoder)
        interrupted = page.get_by_test_id("player-interrupted")
        expect(interrupted).to_be_visible(timeout=20_000)
        expect(interrupted).to_contain_text("The broadcast is interrupted; it will resume here")
        expect(page.get_by_test_id("video")).to_have_count(0)  # no frozen picture under a LIVE badge
        _wait_for_viewers(base, event_id, admin, 0, timeout=30)  # a stalled viewer is not watching
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "viewer-live-interrupted.png"))

        encoder = _encoder(rtmp_port, key, log)  # back within the reconnect window
        expect(interrupted).to_have_count(0, timeout=40_000)
        _playing(page, 40_000)
        expect(page.locator("[data-testid=player][data-live=true]")).to_be_visible()
        _wait_for_viewers(base, event_id, admin, 1, timeout=30)

        _stop(encoder)
        expect(interrupted).to_be_visible(timeout=20_000)
        # not back within the window: auto end, and the page says so
        ended = page.get_by_test_id("player-broadcast-ended")
        expect(ended).to_be_visible(timeout=(RECONNECT_WINDOW_SECONDS + 40) * 1000)
        expect(ended).to_contain_text("The broadcast has ended")
        # the recording becomes the replay (the embedded worker), and the page offers it
        expect(page.get_by_test_id("watch-replay")).to_be_visible(timeout=120_000)
        page.screenshot(path=str(SCREENSHOTS / "viewer-live-ended.png"))
        page.get_by_test_id("watch-replay").click()
        expect(page.locator("[data-testid=player][data-live=false]")).to_be_visible(timeout=20_000)
        _playing(page, 30_000)
        expect(page.get_by_test_id("status-label")).to_have_attribute("data-status", "replay")
        _wait_for_viewers(base, event_id, admin, 1, timeout=30)
        page.goto("about:blank")  # the viewer closes the page: its goodbye ends the session at once
        _wait_for_viewers(base, event_id, admin, 0, timeout=30)
    finally:
        _stop(encoder)
