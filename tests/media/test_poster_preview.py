"""The poster of an event's video is its link-preview picture, at a stable public address."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.page_head import PUBLIC_URL, head_of
from tests.support import AdminLogin, Factory, assert_error

from .uploading import ready_video

MakeVideo = Callable[..., Path]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"public_url": PUBLIC_URL})


async def test_a_shared_link_shows_the_video_s_poster(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.open_event(owner, eventType="vod", title="On demand")
    event_id = event["eventId"]
    assert_error(await client.get(f"/api/events/{event_id}/poster"), 404, "poster_not_found")
    await ready_video(app_ctx, client, owner, event_id, make_video())

    head = await head_of(client, f"/e/{event_id}")
    assert head.meta["og:image"] == head.meta["twitter:image"] == f"{PUBLIC_URL}/api/events/{event_id}/poster"
    assert head.meta["twitter:card"] == "summary_large_image"
    redirect = await client.get(f"/api/events/{event_id}/poster")  # anyone: no viewer token, no admin
    assert redirect.status_code == 302
    poster = await client.get(redirect.headers["location"])
    assert poster.status_code == 200
    assert poster.headers["content-type"] == "image/jpeg" and poster.content[:3] == b"\xff\xd8\xff"


async def test_a_draft_s_poster_is_not_public(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner, eventType="vod", title="Draft")
    await ready_video(app_ctx, client, owner, event["eventId"], make_video())
    assert_error(await client.get(f"/api/events/{event['eventId']}/poster"), 404, "event_not_found")
