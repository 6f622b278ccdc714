"""The loopback topology with media in a bucket: nginx checks the signature, then fetches from the bucket itself.

The bucket is a moto server that checks every request's AWS signature, as a real one does, so nginx's own
signing (deploy/golive_media.js) is tested against the same rules as boto3's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from golive.identity.staff.models import AdminRole
from tests import hls_strict
from tests.deploy.conftest import OWNER, Topology, login_headers, open_event, playback_of, requests_in_log
from tests.live.conftest import relative, wait_for
from tests.media.conftest import make_video_file
from tests.media.uploading import upload_file
from tests.support import AdminLogin


@pytest.fixture(scope="module")
def topology(s3_topology: Topology) -> Iterator[Topology]:
    yield s3_topology


def _bucket_keys(topology: Topology, prefix: str) -> list[str]:
    env = topology.env
    bucket = boto3.client(
        "s3",
        endpoint_url=env["GOLIVE_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=env["GOLIVE_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["GOLIVE_S3_SECRET_ACCESS_KEY"],
    )
    listed = bucket.list_objects_v2(Bucket=env["GOLIVE_S3_BUCKET"], Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


async def test_media_in_a_bucket_is_watched_through_nginx_which_fetches_and_caches_it(
    topology: Topology, tmp_path: Path
) -> None:
    headers = login_headers(topology)
    async with httpx.AsyncClient(base_url=topology.base_url, timeout=30) as http:
        event_id = await open_event(http, headers, "vod")
        owner = AdminLogin(admin_id="", email=OWNER, role=AdminRole.OWNER, token="", headers=headers)
        source = make_video_file(tmp_path / "upload.mp4", size="320x180", duration=3.0)
        async with httpx.AsyncClient(base_url=topology.app_urls[1], timeout=60) as second_instance:
            sent = await upload_file(second_instance, owner, event_id, source)
        assert sent.status_code == 204, sent.text

        async def ready() -> dict[str, Any] | None:
            media: dict[str, Any] = (await http.get(f"/api/events/{event_id}/media", headers=headers)).json()
            return media if media["status"] == "ready" else None

        media = await wait_for(ready, timeout=180, interval=0.5, what="the worker to transcode into the bucket")
        asset_id = media["assetId"]
        assert any(key.endswith(".m3u8") for key in _bucket_keys(topology, f"{asset_id}/"))
        assert not (Path(topology.env["GOLIVE_DATA_DIR"]) / "media" / asset_id).exists()

        playback = await playback_of(http, event_id, "cv-topology-s3")
        master_response = await http.get(playback["playbackUrl"])
        assert master_response.status_code == 200, master_response.text
        master = hls_strict.parse(master_response.text)
        media_url = relative(playback["playbackUrl"], master.playlists[0].uri)
        media_playlist = hls_strict.parse((await http.get(media_url)).text)
        assert media_playlist.is_endlist and media_playlist.segments
        first_segment = relative(media_url, media_playlist.segments[0].uri)
        for segment in media_playlist.segments:
            response = await http.get(relative(media_url, segment.uri))
            assert response.status_code == 200 and response.content
            assert response.headers["x-cache-status"] == "MISS"
        again = await http.get(first_segment)
        assert again.status_code == 200 and again.headers["x-cache-status"] == "HIT"
        # nginx fetched it all from the bucket: no instance saw a /media/ request
        assert requests_in_log(topology, "app1", "/media/") + requests_in_log(topology, "app2", "/media/") == 0
        assert (await http.get(media_url.split("?")[0])).status_code == 403
        missing = first_segment.replace(media_playlist.segments[0].uri.split("?")[0], "nothing-here.m4s")
        assert (await http.get(missing)).status_code == 404

        deleted = await http.delete(f"/api/events/{event_id}/media", headers=headers)
        assert deleted.status_code == 204, deleted.text
        # playlists come fresh from the bucket: a deleted asset's links stop at once
        assert (await http.get(playback["playbackUrl"])).status_code == 404
        assert (await http.get(media_url)).status_code == 404
