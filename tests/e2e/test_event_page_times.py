"""An event page in a viewer's browser shows times on the viewer's clock and names the event's own zone."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, Site

pytestmark = pytest.mark.e2e


@pytest.fixture
def tokyo_page(browser: Browser) -> Iterator[Page]:
    """A viewer whose computer is set to Tokyo time."""
    context = browser.new_context(viewport=VIEWPORT, timezone_id="Asia/Tokyo", locale="en-US")  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


def scheduled_event(site: Site, **fields: str) -> str:
    created = httpx.post(site.url("/api/events"), json={"eventType": "live", **fields}, headers=site.admin_headers)
    assert created.status_code == 201, created.text
    event_id = str(created.json()["eventId"])
    moved = httpx.post(
        site.url(f"/api/events/{event_id}/transitions"), json={"to": "scheduled"}, headers=site.admin_headers
    )
    assert moved.status_code == 200, moved.text
    return event_id


def test_a_viewer_abroad_sees_their_own_time_and_the_event_s_zone(site: Site, tokyo_page: Page) -> None:
    event_id = scheduled_event(
        site,
        title="New York town hall",
        scheduledStart="2030-05-01T16:00:00Z",
        scheduledEnd="2030-05-01T17:00:00Z",
        timezone="America/New_York",
    )
    tokyo_page.goto(site.url(f"/e/{event_id}"))
    schedule = tokyo_page.get_by_test_id("event-schedule")
    expect(schedule.locator("time")).to_have_text(re.compile(r"Thu, May 2, 2030, 1:00\s\u2013\s2:00\sAM GMT\+9"))
    expect(tokyo_page.get_by_test_id("event-schedule-zone")).to_have_text(
        re.compile(
            r"Your time\. In America/New_York, where the event is scheduled: "
            r"Wed, May 1, 2030, 12:00\s\u2013\s1:00\sPM EDT"
        )
    )


def test_a_viewer_in_the_event_s_zone_is_told_it_is_the_same(site: Site, tokyo_page: Page) -> None:
    event_id = scheduled_event(site, title="Tokyo meetup", scheduledStart="2030-05-01T10:00:00Z", timezone="Asia/Tokyo")
    tokyo_page.goto(site.url(f"/e/{event_id}"))
    expect(tokyo_page.get_by_test_id("event-schedule").locator("time")).to_have_text(
        re.compile(r"Wed, May 1, 2030, 7:00\sPM GMT\+9")
    )
    expect(tokyo_page.get_by_test_id("event-schedule-zone")).to_have_text(
        "Your time; the event is scheduled in Asia/Tokyo time"
    )
