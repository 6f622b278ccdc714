"""Short-lived media signatures in Chromium: the player renews its signature through the playback endpoint and
keeps playing past several lifetimes with every later request carrying the newest one; once a renewal is refused
(the admin changed the gate) the video stops within one renewal interval and the player says why."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Page, Request, Response, expect

from tests.e2e.conftest import Site, running_site
from tests.e2e.test_viewer_gates import is_playback, pass_gate_and_expect_playback

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

LIFETIME = 3  # seconds of a viewer's signature here; the player renews at a third of it
CURRENT_TIME = "() => document.querySelector('video[data-testid=video]')?.currentTime ?? 0"


@pytest.fixture(scope="module")
def short_site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(
        fresh_database_url,
        tmp_path_factory.mktemp("e2e-renewal"),
        GOLIVE_EMBEDDED_WORKER="false",
        GOLIVE_PLAYBACK_SIGNATURE_SECONDS=str(LIFETIME),
    ) as running:
        yield running


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty seconds: over the test's slow line hls.js still fetches segments long after the first signature."""
    target = tmp_path_factory.mktemp("clip") / "long.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=40",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=40",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast",
            "-c:a", "aac", "-shortest", str(target),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return target


def expiry_of(url: str) -> int | None:
    values = parse_qs(urlsplit(url).query).get("exp")
    return int(values[0]) if values else None


def test_the_player_renews_its_signature_and_stops_with_the_reason_once_refused(
    short_site: Site, page: Page, long_clip: Path
) -> None:
    site = short_site
    event_id = site.open_event(title="Renewals", video=long_clip)
    media: list[tuple[float, str, int]] = []  # (when, url, status) of every media request the page made
    renewals: list[tuple[float, int]] = []  # (when, status) of every playback answer
    tokens: list[str] = []

    def on_response(response: Response) -> None:
        if "/media/" in response.url:
            media.append((time.time(), response.url, response.status))
        elif is_playback(response.request):
            renewals.append((time.time(), response.status))

    def on_request(request: Request) -> None:
        if is_playback(request):
            tokens.append(request.header_value("authorization") or "")

    page.on("response", on_response)
    page.on("request", on_request)
    # A viewer on a slow line: about twice the clip's bitrate, so hls.js fetches segments all through the
    # playback (on a fast one it would fetch the whole clip under the first signature).
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": 100_000, "uploadThroughput": 100_000},
    )
    page.goto(site.url(f"/e/{event_id}"))
    pass_gate_and_expect_playback(page)

    # Past three lifetimes of the signature, playing all along.
    page.wait_for_function(f"() => ({CURRENT_TIME})() > {3 * LIFETIME + 1}", timeout=60_000)
    assert page.get_by_test_id("video").evaluate("v => v.error === null && !v.paused")
    expect(page.get_by_test_id("player-refused")).to_have_count(0)
    assert len(renewals) >= 4 and all(status == 200 for _, status in renewals), renewals
    assert all(status in (200, 206) for _, _, status in media), [m for m in media if m[2] not in (200, 206)]
    first_url = next(url for _, url, _ in media if url.split("?")[0].endswith(".m3u8"))
    first_expiry = expiry_of(first_url)
    assert first_expiry is not None
    late = [(when, url) for when, url, _ in media if when > first_expiry + 1]
    assert late, "no media request after the first signature ran out: the test proves nothing"
    assert all((expiry_of(url) or 0) > first_expiry for _, url in late), "a late request kept the first signature"
    assert len({expiry_of(url) for _, url, _ in media}) >= 3
    # the first signature really is dead by now: without renewals these requests would have been refused
    assert httpx.get(first_url).status_code == 403

    # The admin changes the gate: the viewer's cleared gate is no longer the event's, the next renewal is refused.
    renew_after = httpx.get(site.url(f"/api/events/{event_id}/playback"), headers={"Authorization": tokens[-1]})
    interval = renew_after.json()["renewAfterSeconds"]
    changed = httpx.put(
        site.url(f"/api/events/{event_id}"),
        json={"accessType": "password", "accessPassword": "now-a-secret"},
        headers=site.admin_headers,
    )
    assert changed.status_code == 200, changed.text
    changed_at = time.time()
    expect(page.get_by_test_id("player-refused")).to_be_visible(timeout=10_000)
    stopped_after = time.time() - changed_at
    assert stopped_after <= interval + 1.0, f"stopped {stopped_after:.1f} s after the change"
    expect(page.get_by_test_id("video")).to_have_count(0)  # the video and hls.js are gone: nothing plays on
    refused = httpx.get(site.url(f"/api/events/{event_id}/playback"), headers={"Authorization": tokens[-1]})
    assert refused.status_code == 403
    expect(page.get_by_test_id("player-refused-message")).to_have_text(refused.json()["error"]["message"])
    stopped_at = time.time()
    page.wait_for_timeout(1500)
    assert not [url for when, url, _ in media if when > stopped_at], "media was still fetched after the stop"

    # What to do: Continue shows where the viewer stands now, the event's new gate.
    page.get_by_test_id("player-refused-action").click()
    expect(page.get_by_test_id("gate-password")).to_be_visible(timeout=10_000)
    print(f"renewals: {len(renewals)}, stopped {stopped_after:.2f} s after the gate changed (interval {interval} s)")
