"""Fixtures for the admin console's browser tests: one live server, one Chromium, a signed-in owner."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SCREENSHOTS
from tests.live_server import LiveServer, run_server

VIEWPORT = {"width": 1280, "height": 800}
OWNER_EMAIL = "owner.e2e@example.com"
OWNER_PASSWORD = "owner password 123"


@dataclass
class AdminApi:
    """The API as the signed-in owner, to set up what a test is not about."""

    http: httpx.Client

    def create_event(self, **fields: Any) -> dict[str, Any]:
        response = self.http.post("/api/events", json=fields)
        assert response.status_code == 201, response.text
        event: dict[str, Any] = response.json()
        return event

    def transition(self, event_id: str, to: str) -> None:
        response = self.http.post(f"/api/events/{event_id}/transitions", json={"to": to})
        assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def admin_server(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(fresh_database_url, tmp_path_factory.mktemp("admin-e2e"), GOLIVE_EMBEDDED_WORKER="true") as server:
        server.cli("admin", "create", "--email", OWNER_EMAIL, "--password", OWNER_PASSWORD, "--name", "Olivia Owner")
        yield server


@pytest.fixture(scope="module")
def owner_api(admin_server: LiveServer) -> Iterator[AdminApi]:
    with httpx.Client(base_url=admin_server.base_url, timeout=30) as http:
        response = http.post("/api/auth/login", json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
        assert response.status_code == 200, response.text
        http.cookies.clear()
        http.headers["Authorization"] = f"Bearer {response.json()['token']}"
        yield AdminApi(http)


@pytest.fixture
def page(admin_server: LiveServer, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(base_url=admin_server.base_url, viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def log_in(page: Page, email: str = OWNER_EMAIL, password: str = OWNER_PASSWORD) -> None:
    page.goto("/admin/login")
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-admin")).to_be_visible()


@pytest.fixture
def owner_page(page: Page) -> Page:
    log_in(page)
    return page


def screenshot(page: Page, screen: str) -> None:
    """admin-<screen>.png (in docs/screenshots/ under `make screenshots`): the 1280x800 viewport, reduced to a
    128-colour palette (~50 kB)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"admin-{screen}.png"
    raw = page.screenshot(full_page=False, animations="disabled")
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "png_pipe", "-i", "pipe:0",
            "-vf", "split[a][b];[a]palettegen=max_colors=128[p];[b][p]paletteuse=dither=none",
            str(target),
        ],
        input=raw,
        check=True,
        timeout=30,
    )  # fmt: skip


def make_test_video(directory: Path) -> Path:
    """Two seconds of colour bars and a tone, 320x180: the smallest real upload."""
    target = directory / "bars.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x180:rate=25:duration=2",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=2",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            str(target),
        ],
        check=True,
        timeout=60,
    )
    return target
