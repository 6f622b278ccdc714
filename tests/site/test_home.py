"""The home page's sections: what a visitor sees listed, featured and playable."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.media.conftest import make_video_file
from tests.media.uploading import ready_video
from tests.support import AdminLogin, Factory


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """No micro-cache: each read sees the change just made (it is one GOLIVE_PUBLIC_CACHE_SECONDS late otherwise)."""
    return settings.model_copy(update={"public_cache_seconds": 0})


def ids(section: list[dict[str, object]]) -> list[object]:
    return [card["eventId"] for card in section]


async def test_the_home_page_lists_published_listed_events_by_section(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, app_ctx: AppContext, tmp_path: Path
) -> None:
    on_air = await factory.open_event(owner, title="On air", eventType="live")
    soon = await factory.event(owner, title="Soon", eventType="live", scheduledStart="2031-01-01T18:00:00Z")
    sooner = await factory.event(owner, title="Sooner", eventType="live", scheduledStart="2030-06-01T18:00:00Z")
    hidden = await factory.event(owner, title="Private", isListed=False, scheduledStart="2030-01-01T18:00:00Z")
    draft = await factory.event(owner, title="Draft")
    for event in (soon, sooner, hidden):
        moved = await client.post(
            f"/api/events/{event['eventId']}/transitions", json={"to": "scheduled"}, headers=owner.headers
        )
        assert moved.status_code == 200, moved.text
    video = await factory.event(owner, title="Film", eventType="vod", isPaidEvent=True, priceAmount=900, currency="EUR")
    await ready_video(app_ctx, client, owner, video["eventId"], make_video_file(tmp_path / "film.mp4"))
    for target in ("scheduled", "live"):
        await client.post(f"/api/events/{video['eventId']}/transitions", json={"to": target}, headers=owner.headers)
    no_video_yet = await factory.open_event(owner, title="Nothing to play", eventType="vod")
    gone = await factory.event(owner, title="Deleted", eventType="live", scheduledStart="2030-02-01T18:00:00Z")
    await client.post(f"/api/events/{gone['eventId']}/transitions", json={"to": "scheduled"}, headers=owner.headers)
    assert (await client.delete(f"/api/events/{gone['eventId']}", headers=owner.headers)).status_code == 204

    featured = await client.put(
        "/api/settings", json={"featuredEventIds": [hidden["eventId"], video["eventId"]]}, headers=owner.headers
    )
    assert featured.status_code == 200, featured.text

    home = await client.get("/api/home")
    assert home.status_code == 200, home.text
    body = home.json()
    assert ids(body["live"]) == [on_air["eventId"]]
    assert ids(body["upcoming"]) == [sooner["eventId"], soon["eventId"]]  # soonest first; the unlisted one is not
    assert ids(body["replays"]) == [video["eventId"]]  # a video with nothing to play yet is not offered
    assert ids(body["featured"]) == [hidden["eventId"], video["eventId"]]  # the owner's pick and order
    card = body["replays"][0]
    assert (card["title"], card["isPaidEvent"], card["priceAmount"], card["currency"]) == ("Film", True, 900, "EUR")
    shown = {card["eventId"] for section in body.values() for card in section}
    assert draft["eventId"] not in shown and gone["eventId"] not in shown
    assert no_video_yet["eventId"] not in shown

    # unpublishing takes an event off the home page, featured or not
    for target in ("ended", "archived"):
        moved = await client.post(
            f"/api/events/{video['eventId']}/transitions", json={"to": target}, headers=owner.headers
        )
        assert moved.status_code == 200, moved.text
        if target == "ended":  # an ended video plays on
            assert ids((await client.get("/api/home")).json()["replays"]) == [video["eventId"]]
    after = (await client.get("/api/home")).json()
    assert ids(after["replays"]) == [] and ids(after["featured"]) == [hidden["eventId"]]


async def test_an_event_is_listed_unless_the_organizer_unticks_it(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.open_event(owner, title="Town hall", eventType="live")
    assert event["isListed"] is True
    assert ids((await client.get("/api/home")).json()["live"]) == [event["eventId"]]
    unlisted = await client.put(f"/api/events/{event['eventId']}", json={"isListed": False}, headers=owner.headers)
    assert unlisted.status_code == 200 and unlisted.json()["isListed"] is False
    assert (await client.get("/api/home")).json()["live"] == []
    assert (await client.get(f"/api/events/{event['eventId']}")).status_code == 200  # its link still works
