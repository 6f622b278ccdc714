"""The live control room in a real Chromium against a real server with its RTMP listener: ffmpeg publishes to
the URL and key read off the page, the health panel and state badge follow, the admin goes live and ends
the event from the page, then trims the replay; a long keyframe interval is flagged and rotating the key
cuts the encoder off."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.admin_fixtures import OWNER_EMAIL, OWNER_PASSWORD, AdminApi, owner_api, owner_page, page, screenshot
from tests.live_server import LiveServer, free_port, run_server

__all__ = ["owner_api", "owner_page", "page"]

pytestmark = pytest.mark.e2e

# One small encoded rung over the publisher's own stream, 1 s segments: the preview starts within seconds.
TINY_LADDER = [{"name": "180p", "height": 180, "video_kbps": 250, "audio_kbps": 64}]
LIVE_TIMEOUT_MS = 25_000
REPLAY_SECONDS = 6.0


@pytest.fixture(scope="module")
def admin_server(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The console's server with the RTMP listener on a free loopback port (overrides the shared fixture)."""
    with run_server(
        fresh_database_url,
        tmp_path_factory.mktemp("admin-live-e2e"),
        GOLIVE_EMBEDDED_WORKER="true",
        GOLIVE_RTMP_PORT=str(free_port()),
        GOLIVE_RTMP_HOST="127.0.0.1",
        GOLIVE_LIVE_LADDER=json.dumps(TINY_LADDER),
        GOLIVE_LADDER=json.dumps(TINY_LADDER),
        GOLIVE_SEGMENT_SECONDS="1",
        GOLIVE_LIVE_HEALTH_SECONDS="0.5",
        GOLIVE_LIVE_RECONNECT_WINDOW_SECONDS="5",
    ) as server:
        server.cli("admin", "create", "--email", OWNER_EMAIL, "--password", OWNER_PASSWORD, "--name", "Olivia Owner")
        yield server


class Encoder:
    """ffmpeg publishing a lavfi test pattern and tone over RTMP in real time, like OBS would."""

    def __init__(self, url: str, log: Path, *, gop_frames: int = 25, seconds: int = 90) -> None:
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                    "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                    "-g", str(gop_frames), "-pix_fmt", "yuv420p", "-b:v", "400k",
                    "-c:a", "aac", "-b:a", "64k", "-f", "flv", url,
                ],
                stdout=out,
                stderr=out,
            )  # fmt: skip

    def exited_within(self, seconds: float) -> bool:
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def encoders(tmp_path: Path) -> Iterator[list[Encoder]]:
    started: list[Encoder] = []
    yield started
    for encoder in started:
        encoder.stop()


def live_event(api: AdminApi, title: str, *, auto_start: bool = True) -> str:
    event = api.create_event(title=title, eventType="live", accessType="anonymous", autoStart=auto_start)
    event_id = str(event["eventId"])
    api.transition(event_id, "scheduled")
    return event_id


def read_publish_target(page: Page) -> str:
    """The RTMP URL and the stream key as an admin would copy them off the page (revealing the key)."""
    rtmp_url = page.get_by_test_id("rtmp-url").input_value()
    assert rtmp_url.startswith("rtmp://127.0.0.1:")
    expect(page.get_by_test_id("stream-key")).to_have_attribute("type", "password")
    page.get_by_test_id("reveal-key").click()
    expect(page.get_by_test_id("stream-key")).to_have_attribute("type", "text")
    key = page.get_by_test_id("stream-key").input_value()
    assert len(key) >= 16
    expect(page.get_by_test_id("publish-url")).to_have_value(f"{rtmp_url}/{key}")
    expect(page.get_by_test_id("ffmpeg-command")).to_contain_text(rtmp_url)
    return f"{rtmp_url}/{key}"


def test_owner_goes_live_with_a_real_encoder_and_ends_the_event_from_the_control_room(
    owner_page: Page, owner_api: AdminApi, encoders: list[Encoder], tmp_path: Path
) -> None:
    page = owner_page
    title = f"Launch stream {secrets.token_hex(3)}"
    event_id = live_event(owner_api, title, auto_start=False)

    page.goto("/admin/events")
    page.get_by_test_id("event-row").filter(has_text=title).get_by_test_id("event-live-link").click()
    expect(page).to_have_url(re.compile(rf"/admin/events/{event_id}/live$"))
    # the first read creates the event's live input (and its key)
    expect(page.get_by_test_id("ingest-state")).to_have_attribute("data-state", "idle", timeout=LIVE_TIMEOUT_MS)
    expect(page.get_by_test_id("health-connected-value")).to_have_text("Offline")
    expect(page.get_by_test_id("live-preview-empty")).to_be_visible()
    expect(page.get_by_test_id("live-transition-ended")).to_have_count(0)  # not live yet: nothing to end

    encoders.append(Encoder(read_publish_target(page), tmp_path / "encoder.log"))
    expect(page.get_by_test_id("ingest-state")).to_have_attribute("data-state", "connected", timeout=LIVE_TIMEOUT_MS)
    expect(page.get_by_test_id("ingest-state")).to_have_text("Receiving")
    expect(page.get_by_test_id("health-connected-value")).to_have_text("Connected")
    expect(page.get_by_test_id("health-resolution-value")).to_have_text("320\u00d7180", timeout=LIVE_TIMEOUT_MS)
    expect(page.get_by_test_id("health-fps-value")).to_have_text(re.compile(r"^2[45](\.\d+)? fps$"))
    expect(page.get_by_test_id("health-codecs-value")).to_contain_text("h264")
    expect(page.get_by_test_id("health-bitrate-value")).to_have_text(re.compile(r"\d+ kbps|Mbps"))
    expect(page.get_by_test_id("keyframe-warning")).to_have_count(0)  # 1 s keyframes are fine
    expect(page.get_by_test_id("ready-to-go-live")).to_contain_text("press Go live")
    expect(page.get_by_test_id("status-badge")).to_have_text("Scheduled")

    # the encoder was connected, so Go live asks nothing
    page.get_by_test_id("live-transition-live").click()
    went_live = time.monotonic()
    expect(page.get_by_test_id("status-badge")).to_have_text("Live")
    expect(page.get_by_test_id("live-transition-live")).to_have_count(0)
    expect(page.get_by_test_id("live-viewers")).to_have_attribute("data-value", "0")
    # the preview plays the stream viewers get
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=live-preview] video')?.currentTime ?? 0) > 0.5",
        timeout=LIVE_TIMEOUT_MS,
    )
    expect(page.get_by_test_id("bitrate-sparkline")).to_have_attribute("data-samples", re.compile(r"^([3-9]|\d\d+)$"))
    page.get_by_test_id("reveal-key").click()  # hidden again for the picture
    expect(page.get_by_test_id("stream-key")).to_have_attribute("type", "password")
    screenshot(page, "live")

    # the replay is the whole recording (the waiting before Go live too): give the show enough to trim
    page.wait_for_timeout(max(0.0, REPLAY_SECONDS - (time.monotonic() - went_live)) * 1000)

    # End: confirmed in a dialog that says what happens; ingest stops and the encoder is let go
    page.get_by_test_id("live-transition-ended").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("End the event?")
    page.get_by_test_id("confirm-accept").click()
    expect(page.get_by_test_id("status-badge")).to_have_text("Ended")
    expect(page.get_by_test_id("ingest-health")).to_have_attribute("data-connected", "false", timeout=LIVE_TIMEOUT_MS)
    expect(page.get_by_test_id("health-connected-value")).to_have_text("Offline")
    expect(page.get_by_test_id("health-bitrate-value")).to_have_text("\u2014")
    expect(page.get_by_test_id("stream-credentials")).to_have_count(0)  # an ended event takes no stream
    assert encoders[0].exited_within(15), "the encoder was still publishing after the event ended"

    # the recording becomes the replay, which can then be trimmed
    trim = page.get_by_test_id("replay-trim")
    expect(trim.get_by_test_id("media-status")).to_have_attribute("data-status", "ready", timeout=60_000)
    full_length = trim.get_by_test_id("replay-status").inner_text()
    assert re.search(r"(\d+)s long", full_length) and int(re.search(r"(\d+)s long", full_length)[1]) >= 5, full_length
    trim.get_by_test_id("trim-start").fill("5")
    trim.get_by_test_id("trim-end").fill("2")
    trim.get_by_test_id("trim-submit").click()
    expect(trim.get_by_test_id("trim-end-error")).to_have_text("The end must be after the start.")
    # the waiting before Go live is in the recording; the tool says where the show began and starts there
    went_live_at = trim.get_by_test_id("went-live-at").inner_text()
    assert re.fullmatch(r"0:\d\d", went_live_at) and int(went_live_at[2:]) >= 1, went_live_at
    trim.get_by_test_id("trim-from-live").click()
    expect(trim.get_by_test_id("trim-start")).to_have_value(went_live_at)
    trim.get_by_test_id("trim-start").fill("1")
    trim.get_by_test_id("trim-end").fill("0:03")
    trim.get_by_test_id("trim-submit").click()
    expect(trim.get_by_test_id("trim-notice")).to_contain_text("Making the replay from 0:01 to 0:03 of the recording")
    # the trimmed replay replaces the whole recording once it is transcoded
    expect(trim.get_by_test_id("replay-status")).to_contain_text(re.compile(r"Ready\s*· [1-3]s long"), timeout=60_000)
    screenshot(page, "live-ended")


def test_long_keyframe_intervals_are_flagged_and_rotating_the_key_cuts_the_encoder_off(
    owner_page: Page, owner_api: AdminApi, encoders: list[Encoder], tmp_path: Path
) -> None:
    page = owner_page
    event_id = live_event(owner_api, f"Rehearsal {secrets.token_hex(3)}")
    page.goto(f"/admin/events/{event_id}")
    page.get_by_test_id("live-control-link").click()
    target = read_publish_target(page)
    old_key = target.rsplit("/", 1)[1]

    encoders.append(Encoder(target, tmp_path / "slow-gop.log", gop_frames=100))  # a keyframe every 4 s
    expect(page.get_by_test_id("ingest-state")).to_have_attribute("data-state", "connected", timeout=LIVE_TIMEOUT_MS)
    # auto start (the default): the event goes live by itself once the stream is ready, and the page follows
    expect(page.get_by_test_id("status-badge")).to_have_text("Live", timeout=LIVE_TIMEOUT_MS)
    expect(page.get_by_test_id("live-transition-ended")).to_be_visible()
    expect(page.get_by_test_id("keyframe-warning")).to_contain_text("4 s", timeout=LIVE_TIMEOUT_MS)
    expect(page.get_by_test_id("health-keyframes")).to_have_attribute("data-tone", "warn")

    # dismissing the confirmation (Escape) keeps the key, and focus goes back to the button
    page.get_by_test_id("rotate-key").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("stops working at once")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)
    expect(page.get_by_test_id("rotate-key")).to_be_focused()
    expect(page.get_by_test_id("stream-key")).to_have_value(old_key)

    page.get_by_test_id("rotate-key").click()
    page.get_by_test_id("confirm-accept").click()
    expect(page.get_by_test_id("rotate-notice")).to_contain_text("old key no longer works")
    new_key = page.get_by_test_id("stream-key").input_value()
    assert new_key and new_key != old_key
    expect(page.get_by_test_id("publish-url")).to_have_value(re.compile(re.escape(new_key) + "$"))
    assert encoders[0].exited_within(15), "the encoder using the old key was not cut off"
    expect(page.get_by_test_id("ingest-state")).not_to_have_attribute(
        "data-state", "connected", timeout=LIVE_TIMEOUT_MS
    )
    # a reload still shows the new key: it is what the server now expects
    page.reload()
    page.get_by_test_id("reveal-key").click()
    expect(page.get_by_test_id("stream-key")).to_have_value(new_key)


def test_an_on_demand_event_has_no_control_room(owner_page: Page, owner_api: AdminApi) -> None:
    event = owner_api.create_event(title=f"Recorded talk {secrets.token_hex(3)}", eventType="vod")
    page = owner_page
    page.goto(f"/admin/events/{event['eventId']}")
    expect(page.get_by_test_id("live-control-link")).to_have_count(0)
    page.goto(f"/admin/events/{event['eventId']}/live")
    expect(page.get_by_test_id("live-not-live-event")).to_be_visible()
    expect(page.get_by_test_id("stream-credentials")).to_have_count(0)


def test_a_new_live_event_starts_and_ends_with_its_encoder_and_the_editor_says_so(
    owner_page: Page, owner_api: AdminApi
) -> None:
    page = owner_page
    page.goto("/admin/events/new")
    page.get_by_test_id("editor-title").fill(f"First stream {secrets.token_hex(3)}")
    section = page.get_by_test_id("editor-live-section")
    expect(section.get_by_test_id("editor-autoStart")).to_be_checked()
    expect(section.get_by_test_id("editor-autoEnd")).to_be_checked()
    expect(section.get_by_test_id("autostart-words")).to_contain_text("goes live as soon as your encoder is connected")
    expect(section.get_by_test_id("autoend-words")).to_contain_text("does not come back within the reconnect window")
    # said in words either way
    section.get_by_test_id("editor-autoEnd").uncheck()
    expect(section.get_by_test_id("autoend-words")).to_contain_text("stays live until you press End")
    section.get_by_test_id("editor-autoEnd").check()
    # an on-demand event publishes by hand unless told otherwise; back to live brings the live defaults
    page.get_by_test_id("editor-eventType").select_option("vod")
    expect(section).to_have_count(0)
    expect(page.get_by_test_id("editor-autoStart")).not_to_be_checked()
    page.get_by_test_id("editor-eventType").select_option("live")
    expect(section.get_by_test_id("editor-autoStart")).to_be_checked()
    page.get_by_test_id("save-event").click()  # no start or end time needed
    expect(page.get_by_test_id("editor-notice")).to_have_text("Event created.")
    event_id = page.url.rsplit("/", 1)[1]
    saved = owner_api.http.get(f"/api/events/{event_id}").json()
    assert saved["autoStart"] is True and saved["autoEnd"] is True
    section.scroll_into_view_if_needed()
    screenshot(page, "editor-live-section")
