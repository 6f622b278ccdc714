"""With S3 storage the job publishes into the bucket and the app streams playback from it (moto's S3 server)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import httpx
import m3u8
import pytest

from golive.media.storage import make_storage
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.support import AdminLogin, Factory

from .uploading import ready_video

MakeVideo = Callable[..., Path]


@pytest.fixture
def settings(settings: Settings, moto_endpoint: str) -> Settings:
    return settings.model_copy(
        update={
            "storage_backend": "s3",
            "s3_bucket": f"golive-{uuid.uuid4().hex[:12]}",
            "s3_endpoint_url": moto_endpoint,
            "s3_access_key_id": "testing",
            "s3_secret_access_key": "testing",
            "s3_create_bucket": True,
        }
    )


async def test_upload_transcode_and_playback_through_the_bucket(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)

    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video(size="640x360"))

    keys = make_storage(app_ctx.settings).list(f"{media['assetId']}/")
    assert f"{media['assetId']}/master.m3u8" in keys and f"{media['assetId']}/thumbs.vtt" in keys
    assert not (app_ctx.settings.media_dir / media["assetId"]).exists()
    playback = (await client.get(f"/api/events/{event['eventId']}/playback", headers=owner.headers)).json()
    master = m3u8.loads((await client.get(playback["playbackUrl"])).text)
    variant_url = urljoin(playback["playbackUrl"], master.playlists[0].uri)
    variant = m3u8.loads((await client.get(variant_url)).text)
    segment = await client.get(urljoin(variant_url, variant.segments[0].uri))
    assert segment.status_code == 200 and segment.headers["content-type"] == "video/mp4"
    stored = make_storage(app_ctx.settings).read_bytes(
        f"{media['assetId']}/360p/{variant.segments[0].uri.split('?')[0]}"
    )
    assert segment.content == stored
    poster = await client.get(playback["posterUrl"])
    assert poster.status_code == 200 and poster.content[:2] == b"\xff\xd8"
    missing = await client.get(urljoin(variant_url, "seg_09999.m4s?" + playback["playbackUrl"].split("?")[1]))
    assert missing.status_code == 404

    # Deleting the media stops the links already handed out, with the objects kept until the purge.
    assert (await client.delete(f"/api/events/{event['eventId']}/media", headers=owner.headers)).status_code == 204
    for url in (playback["playbackUrl"], variant_url, urljoin(variant_url, variant.segments[0].uri)):
        assert (await client.get(url)).status_code == 404
    assert make_storage(app_ctx.settings).list(f"{media['assetId']}/") == []
    assert f".withdrawn/{media['assetId']}/master.m3u8" in make_storage(app_ctx.settings).list(".withdrawn/")
