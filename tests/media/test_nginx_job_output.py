"""nginx (deploy/nginx.conf) serves what a real job produced, under the app's own playback signatures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests import hls_strict
from tests.support import AdminLogin, Factory

from .conftest import NginxEdge
from .uploading import ready_video

MakeVideo = Callable[..., Path]


@pytest.fixture
def settings(settings: Settings, nginx_edge: NginxEdge) -> Settings:
    """The app's media folder is the one nginx serves; its secret is the one nginx's edge key came from."""
    return settings.model_copy(update={"data_dir": nginx_edge.media_root.parent, "secret_key": "test-secret"})


async def test_nginx_serves_the_jobs_output_exactly_as_the_app_does(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    factory: Factory,
    owner: AdminLogin,
    make_video: MakeVideo,
    nginx_edge: NginxEdge,
) -> None:
    event = await factory.event(owner)
    await ready_video(app_ctx, client, owner, event["eventId"], make_video(size="640x360"))
    playback = (await client.get(f"/api/events/{event['eventId']}/playback", headers=owner.headers)).json()

    async with httpx.AsyncClient(base_url=nginx_edge.base_url, timeout=5) as edge:

        async def same_from_both(url: str) -> httpx.Response:
            from_edge, from_app = await edge.get(url), await client.get(url)
            assert from_edge.status_code == from_app.status_code == 200, url
            assert from_edge.content == from_app.content, url
            assert from_edge.headers["content-type"].split(";")[0] == from_app.headers["content-type"].split(";")[0]
            return from_edge

        master = hls_strict.parse((await same_from_both(playback["playbackUrl"])).text)
        segments = 0
        for variant in master.playlists:
            variant_url = urljoin(playback["playbackUrl"], variant.uri)
            media = hls_strict.parse((await same_from_both(variant_url)).text)
            for uri in [media.segment_map[0].uri] + [segment.uri for segment in media.segments]:
                await same_from_both(urljoin(variant_url, uri))
                segments += 1
        assert segments == 6

        track = await same_from_both(playback["thumbnailsUrl"])
        cue = next(line for line in track.text.split("\n") if "#xywh=" in line)
        sprite = await same_from_both(urljoin(playback["thumbnailsUrl"], cue))
        assert sprite.headers["content-type"] == "image/jpeg"
        await same_from_both(playback["posterUrl"])
        assert (await edge.get(playback["thumbnailsUrl"].split("?")[0])).status_code == 403
