"""A shared link to an event page shows its title, description and poster: the server writes OpenGraph and
Twitter card tags into the page's HTML, because link-preview crawlers run no JavaScript."""

from __future__ import annotations

import httpx
import pytest

from golive.platform.settings import Settings
from tests.page_head import PUBLIC_URL, head_of
from tests.support import AdminLogin, Factory


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"public_url": PUBLIC_URL})


async def test_an_event_page_carries_its_title_and_description_for_link_previews(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.open_event(
        owner,
        title="Spring keynote",
        description="Join **Ada & Grace** for the [launch](https://example.com).\n\nQuestions at the end.",
    )
    head = await head_of(client, f"/e/{event['eventId']}")
    description = "Join Ada & Grace for the launch. Questions at the end."
    page_url = f"{PUBLIC_URL}/e/{event['eventId']}"
    assert head.title == "Spring keynote · GoLive"
    assert head.meta["og:title"] == head.meta["twitter:title"] == "Spring keynote"
    assert head.meta["og:description"] == head.meta["twitter:description"] == head.meta["description"] == description
    assert head.meta["og:url"] == head.canonical == page_url
    assert head.meta["og:site_name"] == "GoLive"
    assert head.meta["twitter:card"] == "summary"  # no picture yet
    assert "og:image" not in head.meta


async def test_the_event_s_thumbnail_is_the_preview_image_at_the_public_address(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.open_event(owner, title="With a picture", thumbnailUrl="/static/posters/keynote.jpg")
    head = await head_of(client, f"/e/{event['eventId']}")
    assert head.meta["og:image"] == head.meta["twitter:image"] == f"{PUBLIC_URL}/static/posters/keynote.jpg"
    assert head.meta["twitter:card"] == "summary_large_image"
    absolute = await factory.open_event(owner, title="Elsewhere", thumbnailUrl="https://cdn.example.org/p.jpg")
    assert (await head_of(client, f"/e/{absolute['eventId']}")).meta["og:image"] == "https://cdn.example.org/p.jpg"


async def test_markup_in_a_title_stays_text(client: httpx.AsyncClient, factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, title='Q&A "live" </title><script>alert(1)</script>')
    response = await client.get(f"/e/{event['eventId']}")
    assert "<script>alert(1)</script>" not in response.text
    head = await head_of(client, f"/e/{event['eventId']}")
    assert head.meta["og:title"] == 'Q&A "live" </title><script>alert(1)</script>'
    assert head.meta["og:description"].startswith("Watch Q&A")


async def test_drafts_and_unknown_events_say_nothing_about_themselves(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    draft = await factory.event(owner, title="Secret plans", description="Not yet announced")
    for path in (f"/e/{draft['eventId']}", "/e/01NOSUCHEVENT0000000000000"):
        response = await client.get(path)
        assert response.status_code == 200
        assert "Secret plans" not in response.text and "og:title" not in response.text
