"""First run: after `golive demo`, "Welcome to GoLive" plays in a browser, with no upload by anyone."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT
from tests.live_server import GOLIVE, LiveServer, run_server, server_env

pytestmark = pytest.mark.e2e

SMALL_LADDER = [{"name": "360p", "height": 360, "video_kbps": 500, "audio_kbps": 64}]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    """A fresh data directory set up as `make run` does (migrate, demo), then served; and the welcome page."""
    data_dir = tmp_path_factory.mktemp("demo") / "var"
    env = server_env("", data_dir, GOLIVE_LADDER=json.dumps(SMALL_LADDER))
    for command in (["migrate"], ["demo"]):
        done = subprocess.run([GOLIVE, *command], env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    welcome = next(line for line in done.stdout.splitlines() if line.startswith("Welcome video:"))
    with run_server("", data_dir, GOLIVE_LADDER=json.dumps(SMALL_LADDER)) as server:
        yield server, "/e/" + welcome.rsplit("/e/", 1)[1].strip()


@pytest.fixture
def viewer(demo_site: tuple[LiveServer, str], browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, base_url=demo_site[0].base_url)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


def test_the_welcome_video_plays_on_first_run(demo_site: tuple[LiveServer, str], viewer: Page) -> None:
    viewer.goto(demo_site[1])
    expect(viewer.get_by_test_id("event-title")).to_have_text("Welcome to GoLive")
    viewer.get_by_test_id("gate-submit").click()
    viewer.wait_for_function(
        """() => {
          const video = document.querySelector('video[data-testid=video]');
          if (!video || video.error || video.videoHeight !== 360) return false;
          let played = 0;
          for (let i = 0; i < video.played.length; i++) played += video.played.end(i) - video.played.start(i);
          return played > 1;
        }""",
        timeout=30_000,
    )
