"""A live event in Chromium: an encoder publishes to `golive serve`'s RTMP listener, the viewer page plays
the sliding live playlist with the LIVE badge, and when the event ends the page offers the replay."""

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


@pytest.fixture(scope="module")
def live_server(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, int]]:
    rtmp_port = free_port()
    with run_server(
        fresh_database_url,
        tmp_path_factory.mktemp("e2e-live"),
        GOLIVE_EMBEDDED_WORKER="false",
        GOLIVE_RTMP_PORT=str(rtmp_port),
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
