"""The analytics dashboards in a real Chromium against a real server: playback telemetry sent through the
real API shows up as tiles and SVG charts on the event's page, live viewers follow the SSE stream, and the
cross-event overview lists the event."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.admin_fixtures import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    AdminApi,
    owner_api,
    owner_page,
    page,
    screenshot,
)
from tests.live_server import LiveServer, run_server

__all__ = ["admin_server", "owner_api", "owner_page", "page"]

pytestmark = pytest.mark.e2e

COUNTRY_HEADER = "CF-IPCountry"
DESKTOP_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
DESKTOP_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(scope="module")
def admin_server(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """admin_fixtures' server, with a trusted CDN country header so the countries chart has places."""
    with run_server(
        fresh_database_url,
        tmp_path_factory.mktemp("analytics-e2e"),
        GOLIVE_EMBEDDED_WORKER="false",
        GOLIVE_GEOIP_COUNTRY_HEADER=COUNTRY_HEADER,
    ) as server:
        server.cli("admin", "create", "--email", OWNER_EMAIL, "--password", OWNER_PASSWORD, "--name", "Olivia Owner")
        yield server


@dataclass
class Player:
    """One viewer's playback session, driven through the player's telemetry API."""

    http: httpx.Client
    token: str
    session_id: str

    def send(self, *events: dict[str, Any]) -> None:
        response = self.http.post(
            f"/api/playback/sessions/{self.session_id}/events",
            json={"events": list(events)},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 202, response.text


def start_watching(http: httpx.Client, event_id: str, user_agent: str, country: str) -> Player:
    registered = http.post(
        "/api/registrations", json={"eventId": event_id, "clientViewerId": "e2e-" + secrets.token_hex(6)}
    )
    assert registered.status_code == 200, registered.text
    token = registered.json()["token"]
    assert token, registered.text
    opened = http.post(
        "/api/playback/sessions",
        json={"eventId": event_id},
        headers={"Authorization": f"Bearer {token}", "User-Agent": user_agent, COUNTRY_HEADER: country},
    )
    assert opened.status_code == 201, opened.text
    return Player(http, token, opened.json()["sessionId"])


def heartbeat(played: float, rendition: str = "720p") -> dict[str, Any]:
    return {
        "type": "heartbeat",
        "position": played,
        "played": played,
        "rendition": rendition,
        "bitrateKbps": 2500,
        "bufferSeconds": 8,
    }


def wait_for_analytics(owner_api: AdminApi, event_id: str, **expected: int) -> dict[str, Any]:
    """Telemetry is written about once a second: poll the dashboard until it shows what was sent."""
    deadline = time.monotonic() + 20
    while True:
        response = owner_api.http.get(f"/api/analytics/{event_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if all(body[key] == value for key, value in expected.items()):
            return body
        assert time.monotonic() < deadline, f"analytics never reached {expected}: {body}"
        time.sleep(0.3)


def test_playback_telemetry_shows_as_tiles_and_charts(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer
) -> None:
    page = owner_page
    title = f"Analytics keynote {secrets.token_hex(3)}"
    event = owner_api.create_event(title=title)
    event_id = event["eventId"]
    owner_api.transition(event_id, "scheduled")
    owner_api.transition(event_id, "live")

    with httpx.Client(base_url=admin_server.base_url, timeout=30) as http:
        chrome = start_watching(http, event_id, DESKTOP_CHROME, "DE")
        firefox = start_watching(http, event_id, DESKTOP_FIREFOX, "DE")
        iphone = start_watching(http, event_id, IPHONE_SAFARI, "FR")

        start = {"type": "start", "position": 0, "played": 0, "rendition": "720p", "bitrateKbps": 2500}
        chrome.send({**start, "startupMs": 800}, heartbeat(15), heartbeat(30))
        chrome.send({"type": "end", "position": 30, "played": 30, "reason": "stopped"})
        firefox.send(
            {**start, "startupMs": 1200},
            {"type": "rebufferStart", "position": 5, "played": 5},
            {"type": "rebufferEnd", "position": 5, "played": 5, "durationMs": 500},
            heartbeat(20, "480p"),
            {"type": "end", "position": 20, "played": 20, "reason": "stopped"},
        )
        iphone.send({**start, "startupMs": 2500}, heartbeat(10))  # still watching

        figures = wait_for_analytics(owner_api, event_id, views=3, uniqueViewers=3, totalWatchSeconds=60)
        assert figures["concurrency"]["peak"] >= 1, figures
        assert figures["qoe"]["startupMsP50"] == 1200, figures["qoe"]
        assert figures["qoe"]["startupMsP95"] == 2500, figures["qoe"]

        iphone.send(heartbeat(10))  # fresh, so the viewer counts as watching now
        page.goto(f"/admin/events/{event_id}")
        page.get_by_test_id("analytics-link").click()
        expect(page).to_have_url(re.compile(rf"/admin/events/{event_id}/analytics"))
        # the presets: "during the event" (the event's own span, shown) first, then 24 h, 7 days, custom
        expect(page.get_by_test_id("range-event")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("range-event")).to_have_text("During the event")
        expect(page.get_by_test_id("analytics-range-shown")).to_be_visible()
        expect(page.get_by_test_id("analytics-tile-views-value")).to_have_text("3")
        expect(page.get_by_test_id("range-30d")).to_have_count(0)
        page.get_by_test_id("range-7d").click()
        expect(page).to_have_url(re.compile(r"range=7d"))
        expect(page.get_by_test_id("range-7d")).to_have_attribute("aria-pressed", "true")
        page.get_by_test_id("range-custom").click()
        expect(page.get_by_test_id("range-from")).to_be_visible()
        page.get_by_test_id("range-event").click()
        expect(page).to_have_url(re.compile(r"range=event"))
        expect(page.get_by_test_id("range-from")).to_have_count(0)
        page.get_by_test_id("range-24h").click()
        expect(page.get_by_test_id("range-24h")).to_have_attribute("aria-pressed", "true")
        expect(page).to_have_url(re.compile(r"range=24h"))

        # the tiles
        def tile(name: str) -> Any:
            return page.get_by_test_id(f"analytics-tile-{name}-value")

        expect(tile("views")).to_have_text("3")
        expect(tile("unique-viewers")).to_have_text("3")
        expect(tile("watch-time")).to_have_text("1m 00s")
        expect(tile("average-watch-time")).to_have_text("20s")
        expect(tile("peak")).to_have_text(str(figures["concurrency"]["peak"]))
        expect(tile("current")).to_have_text("1")  # from the SSE stream
        expect(tile("startup-p50")).to_have_text("1.2 s")
        expect(tile("startup-p95")).to_have_text("2.5 s")
        expect(tile("failure-rate")).to_have_text("0%")
        expect(tile("rebuffering")).not_to_have_text("0%")

        # the concurrency chart: an SVG step line over the range's minutes, with its peak marked
        concurrency = page.get_by_test_id("chart-concurrency")
        expect(concurrency).to_have_attribute("role", "img")
        expect(concurrency).to_have_attribute("aria-label", re.compile(r"peak \d+ viewers?"))
        # at least 60 points (24 h of buckets), waiting for the range just chosen to arrive
        expect(concurrency).to_have_attribute("data-points", re.compile(r"^([6-9]\d|\d{3,})$"))
        line = concurrency.get_by_test_id("chart-concurrency-line").get_attribute("d") or ""
        assert re.match(r"^M[\d.]+ [\d.]+ H", line), line
        expect(concurrency.get_by_test_id("chart-concurrency-peak")).to_have_attribute(
            "data-value", str(figures["concurrency"]["peak"])
        )

        # the breakdowns: one bar per device type, browser, country and rendition
        devices = page.get_by_test_id("chart-devices")
        expect(devices.get_by_test_id("chart-bar")).to_have_count(2)
        expect(devices.locator("[data-key=desktop]")).to_have_attribute("data-value", "2")
        expect(devices.locator("[data-key=mobile]")).to_have_attribute("data-value", "1")
        assert float(devices.locator("[data-key=desktop] rect.chart-bar").get_attribute("width") or 0) > 0
        expect(page.get_by_test_id("chart-browsers").get_by_test_id("chart-bar")).to_have_count(3)
        countries = page.get_by_test_id("chart-countries")
        expect(countries.locator("[data-key=DE]")).to_have_attribute("data-value", "2")
        expect(countries).to_contain_text("Germany")
        expect(countries).to_have_attribute("aria-label", re.compile(r"Germany \(DE\) 2 sessions"))
        expect(page.get_by_test_id("chart-renditions").get_by_test_id("chart-bar")).not_to_have_count(0)

        # the funnel of a free event: 3 page visits, 3 through the (open) gate, 3 played; no "paid" step
        steps = page.get_by_test_id("funnel").get_by_test_id("funnel-step")
        expect(steps).to_have_count(3)
        assert [steps.nth(i).get_attribute("data-value") for i in range(3)] == ["3", "3", "3"]
        expect(page.get_by_test_id("card-revenue-empty")).to_be_visible()

        # the sessions CSV of the same range, with the admin's cookie
        csv_link = page.get_by_test_id("analytics-csv")
        href = csv_link.get_attribute("href") or ""
        assert "format=csv" in href and "from=" in href and "to=" in href, href
        download = page.request.get(href)
        assert download.status == 200
        assert len(download.text().strip().splitlines()) == 1 + 3

        screenshot(page, "analytics")

        # the last viewer stops: the live count follows the stream without a reload
        iphone.send({"type": "end", "position": 10, "played": 10, "reason": "completed"})
        expect(tile("current")).to_have_text("0", timeout=20_000)

    # the cross-event overview lists the event with its figures
    page.get_by_test_id("nav-analytics").click()
    expect(page).to_have_url(re.compile(r"/admin/analytics"))
    row = page.get_by_test_id("overview-row").filter(has_text=title)
    expect(row.get_by_test_id("overview-views")).to_have_text("3")
    expect(row).to_contain_text("1m 00s")
    top = page.get_by_test_id("chart-top-events")
    expect(top.locator(f'[data-key="{event_id}"]')).to_have_attribute("data-value", "3")
    expect(page.get_by_test_id("analytics-tile-views-value")).not_to_have_text("0")
    row.get_by_role("link", name=title).click()
    expect(page.get_by_test_id("event-analytics-page")).to_be_visible()


def test_an_event_nobody_watched_shows_empty_states_and_a_bad_custom_range_is_refused(
    owner_page: Page, owner_api: AdminApi
) -> None:
    page = owner_page
    event = owner_api.create_event(title=f"Unwatched {secrets.token_hex(3)}")
    page.goto(f"/admin/events/{event['eventId']}/analytics?range=30d")
    expect(page.get_by_test_id("analytics-tile-views-value")).to_have_text("0")
    expect(page.get_by_test_id("card-concurrency-empty")).to_be_visible()
    expect(page.get_by_test_id("card-devices-empty")).to_be_visible()
    expect(page.get_by_test_id("card-funnel-empty")).to_be_visible()
    expect(page.get_by_test_id("analytics-tile-startup-p50-value")).to_have_text("—")

    page.get_by_test_id("range-custom").click()
    page.get_by_test_id("range-from").fill("2025-05-02T10:00")
    page.get_by_test_id("range-to").fill("2025-05-01T10:00")
    page.get_by_test_id("range-apply").click()
    expect(page.get_by_test_id("range-error")).to_contain_text("later than the start")

    page.get_by_test_id("range-to").fill("2025-05-03T10:00")
    page.get_by_test_id("range-apply").click()
    expect(page).to_have_url(re.compile(r"range=custom&from=2025-05-0"))
    expect(page.get_by_test_id("range-error")).to_have_count(0)
    expect(page.get_by_test_id("range-custom")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("analytics-tile-views-value")).to_have_text("0")
