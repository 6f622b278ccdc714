"""A viewer's media links are short-lived: refused by the app and by nginx once their signature ran out, opened
again by the signature of a renewed playback answer (what the player puts on every later request)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests import hls_strict
from tests.support import AdminLogin, Factory, assert_error

from .conftest import NginxEdge
from .uploading import ready_video

MakeVideo = Callable[..., Path]
LIFETIME = 3  # seconds: the smallest the settings accept (the player renews at a third)


@pytest.fixture
def settings(settings: Settings, nginx_edge: NginxEdge) -> Settings:
    """The media folder nginx serves and the secret its edge key came from, with a tiny viewer signature."""
    return settings.model_copy(
        update={
            "data_dir": nginx_edge.media_root.parent,
            "secret_key": "test-secret",
            "playback_signature_seconds": LIFETIME,
        }
    )


def with_signature_of(url: str, signed: str) -> str:
    """`url` carrying the signature of `signed`: what the player does to every request after a renewal."""
    query = urlsplit(signed).query
    return f"{url.partition('?')[0]}?{query}"


def expiry_of(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["exp"][0])


async def until_expired(url: str) -> None:
    assert expiry_of(url) <= time.time() + LIFETIME, "a viewer's link must be short-lived"
    await asyncio.sleep(max(0.0, expiry_of(url) - time.time()) + 1.1)


async def first_segment(client: httpx.AsyncClient, playback_url: str) -> str:
    master = hls_strict.parse((await client.get(playback_url)).text)
    variant_url = urljoin(playback_url, str(master.playlists[0].uri))
    media = hls_strict.parse((await client.get(variant_url)).text)
    return urljoin(variant_url, str(media.segments[0].uri))


async def test_a_viewers_links_stop_at_their_short_expiry_on_the_app_and_on_nginx_and_a_renewal_opens_them(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    factory: Factory,
    owner: AdminLogin,
    make_video: MakeVideo,
    nginx_edge: NginxEdge,
) -> None:
    event = await factory.open_event(owner)
    await ready_video(app_ctx, client, owner, event["eventId"], make_video(size="320x180"))
    registered = await factory.register(event["eventId"])
    viewer = {"Authorization": f"Bearer {registered.json()['token']}"}
    playback_path = f"/api/events/{event['eventId']}/playback"
    playback = (await client.get(playback_path, headers=viewer)).json()
    admin_playback = (await client.get(playback_path, headers=owner.headers)).json()
    segment = await first_segment(client, playback["playbackUrl"])
    assert urlsplit(segment).query == urlsplit(playback["playbackUrl"]).query  # the viewer's own signature

    async with httpx.AsyncClient(base_url=nginx_edge.base_url, timeout=5) as edge:
        for server in (client, edge):
            assert (await server.get(playback["playbackUrl"])).status_code == 200
            assert (await server.get(segment)).status_code == 200

        await until_expired(playback["playbackUrl"])

        for url in (playback["playbackUrl"], segment, playback["thumbnailsUrl"]):
            assert_error(await client.get(url), 403, "invalid_media_signature")
            assert (await edge.get(url)).status_code == 403, url
        # the admin's preview, signed at the same moment, still plays
        assert (await client.get(admin_playback["playbackUrl"])).status_code == 200
        assert (await edge.get(admin_playback["playbackUrl"])).status_code == 200

        renewed = (await client.get(playback_path, headers=viewer)).json()
        assert renewed["playbackUrl"].partition("?")[0] == playback["playbackUrl"].partition("?")[0]
        assert expiry_of(renewed["playbackUrl"]) > expiry_of(playback["playbackUrl"])
        for server in (client, edge):
            again = await server.get(with_signature_of(segment, renewed["playbackUrl"]))
            assert again.status_code == 200
            assert (await server.get(renewed["thumbnailsUrl"])).status_code == 200


async def test_the_playback_answer_tells_a_viewer_when_to_renew_and_gives_an_admin_long_links(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.open_event(owner)
    await ready_video(app_ctx, client, owner, event["eventId"], make_video(size="320x180"))
    registered = await factory.register(event["eventId"])
    playback_path = f"/api/events/{event['eventId']}/playback"

    asked_at = time.time()
    viewer = (await client.get(playback_path, headers={"Authorization": f"Bearer {registered.json()['token']}"})).json()
    admin = (await client.get(playback_path, headers=owner.headers)).json()

    assert viewer["renewAfterSeconds"] == 1  # a third of the 3 s lifetime
    viewer_expiry = datetime.fromisoformat(viewer["expiresAt"]).timestamp()
    assert viewer_expiry == expiry_of(viewer["playbackUrl"]) == expiry_of(viewer["posterUrl"])
    assert asked_at + LIFETIME - 1 <= viewer_expiry <= time.time() + LIFETIME
    minutes = app_ctx.settings.playback_url_minutes
    assert admin["renewAfterSeconds"] == minutes * 60 // 3
    admin_expiry = datetime.fromisoformat(admin["expiresAt"]).timestamp()
    assert admin_expiry == expiry_of(admin["playbackUrl"])
    assert asked_at + minutes * 60 - 1 <= admin_expiry <= time.time() + minutes * 60
    # the admin's media page (console preview) keeps the long links too
    media = (await client.get(f"/api/events/{event['eventId']}/media", headers=owner.headers)).json()
    assert expiry_of(media["posterUrl"]) >= asked_at + minutes * 60 - 1


def test_a_signature_lifetime_too_short_to_renew_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="playback_signature_seconds"):
        Settings(data_dir=tmp_path, playback_signature_seconds=2)
