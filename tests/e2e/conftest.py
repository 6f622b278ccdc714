"""Real Chromium (Debian's) against a real `golive serve`, with email through a real SMTP server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.email.smtp_sink import SmtpSink, smtp_sink
from tests.live_server import LiveServer, free_port, run_server
from tests.tools import require_chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # the landing page autoplays (a reload has no user gesture); play must not depend on Chromium's heuristics
    "--autoplay-policy=no-user-gesture-required",
]
# The tests' screenshots go to a folder of this process, removed after the run, so no test writes into the work
# tree; `make screenshots` names docs/screenshots here to refresh the pictures the docs show.
SCREENSHOTS_REFRESHED = os.environ.get("GOLIVE_TEST_SCREENSHOTS_DIR", "")
SCREENSHOTS = Path(SCREENSHOTS_REFRESHED or Path(tempfile.gettempdir()) / f"golive-screenshots-{os.getpid()}")
ADMIN_EMAIL, ADMIN_PASSWORD = "e2e-owner@example.com", "e2e-password-123"
VIEWPORT = {"width": 800, "height": 600}
# One 180p rung in 1 s segments: a 3 s clip transcodes in a blink and starts playing after one small segment.
TINY_LADDER = [{"name": "180p", "height": 180, "video_kbps": 300, "audio_kbps": 64}]


@pytest.fixture(scope="session", autouse=True)
def _screenshots_kept_only_when_refreshed() -> Iterator[None]:
    yield
    if not SCREENSHOTS_REFRESHED:
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)


@dataclass
class Site:
    """The running platform, its mailbox, and an admin to create events with."""

    server: LiveServer
    smtp: SmtpSink
    admin_headers: dict[str, str]

    def url(self, path: str) -> str:
        return f"{self.server.base_url}{path}"

    def open_event(self, video: Path | None = None, **fields: Any) -> str:
        """An event viewers can join (created, scheduled, live); with `video`, an on-demand one playing it."""
        if video is not None:
            fields.setdefault("eventType", "vod")
        event = httpx.post(self.url("/api/events"), json={"title": "E2E", **fields}, headers=self.admin_headers)
        assert event.status_code == 201, event.text
        event_id = str(event.json()["eventId"])
        if video is not None:
            imported = self.server.cli("media", "import", event_id, str(video), check=False)
            assert imported.returncode == 0, imported.stdout + imported.stderr
        for target in ("scheduled", "live"):
            moved = httpx.post(
                self.url(f"/api/events/{event_id}/transitions"), json={"to": target}, headers=self.admin_headers
            )
            assert moved.status_code == 200, moved.text
        return event_id


@contextmanager
def running_site(database_url: str, data_dir: Path, **env: str) -> Iterator[Site]:
    """`golive serve` with the tiny ladder, its mailbox, and a signed-in admin; `env` adds settings."""
    with (
        smtp_sink() as smtp,
        run_server(
            database_url,
            data_dir,
            GOLIVE_SMTP_HOST=smtp.host,
            GOLIVE_SMTP_PORT=str(smtp.port),
            GOLIVE_LADDER=json.dumps(TINY_LADDER),
            GOLIVE_SEGMENT_SECONDS="1",
            **env,
        ) as server,
    ):
        server.cli(
            "admin", "create", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD, "--name", "E2E", check=False
        )
        login = httpx.post(f"{server.base_url}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert login.status_code == 200, login.text
        yield Site(server=server, smtp=smtp, admin_headers={"Authorization": f"Bearer {login.json()['token']}"})


@pytest.fixture(scope="module")
def site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(
        fresh_database_url,
        tmp_path_factory.mktemp("e2e"),
        GOLIVE_EMBEDDED_WORKER="false",
        # the player sends a heartbeat this often (it reads heartbeatSeconds when its session opens)
        GOLIVE_PLAYBACK_HEARTBEAT_SECONDS="1",
    ) as running:
        yield running


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three seconds of test pattern and a tone, 320x180 H.264/AAC: one per module, attached to every event."""
    target = tmp_path_factory.mktemp("clip") / "testsrc.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=3",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast",
            "-c:a", "aac", "-shortest", str(target),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return target


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


@dataclass
class ParentSite:
    """Static pages on a loopback port, reachable as two origins: 127.0.0.1 and localhost."""

    port: int
    root: Path

    def publish(self, name: str, html: str) -> None:
        (self.root / name).write_text(html)

    def url(self, host: str, name: str) -> str:
        return f"http://{host}:{self.port}/{name}"


@pytest.fixture(scope="module")
def parent_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ParentSite]:
    root = tmp_path_factory.mktemp("parent")
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield ParentSite(port=int(httpd.server_address[1]), root=root)
    httpd.shutdown()
    httpd.server_close()
