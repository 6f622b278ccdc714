"""The production topology on loopback (deploy/topology.py), driven end to end as a user would.

An upload through one instance (tus), transcoded by the separate worker, which is killed mid-transcode and
replaced: the job finishes on the new one; watched as signed HLS through nginx. An encoder publishing to
nginx-rtmp, watched live through nginx, while the instance pulling the stream is killed: the other takes the
stream over and viewers keep watching. Requests spread over both instances by nginx's round robin.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import httpx

from golive.identity.staff.models import AdminRole
from tests import hls_strict
from tests.deploy.conftest import OWNER, Topology, open_event, playback_of, requests_in_log
from tests.live.conftest import publish, relative, wait_for
from tests.media.conftest import make_video_file
from tests.media.test_worker_recovery import children_named, is_running
from tests.media.uploading import upload_file
from tests.support import AdminLogin


def _crash(topology: Topology, name: str) -> None:
    """SIGKILL of the process alone (not its process group), as a crash or the OOM killer would."""
    process = topology.processes.pop(name)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


# The job's transcode takes long enough to be caught in the middle; its stream plays through nginx.
SOURCE_SECONDS = 24.0


async def test_an_upload_is_transcoded_by_the_worker_and_watched_through_nginx(
    topology: Topology, owner_headers: dict[str, str], tmp_path: Path
) -> None:
    async with httpx.AsyncClient(base_url=topology.base_url, timeout=30) as http:
        event_id = await open_event(http, owner_headers, "vod")
        owner = AdminLogin(admin_id="", email=OWNER, role=AdminRole.OWNER, token="", headers=owner_headers)
        source = make_video_file(tmp_path / "upload.mp4", size="640x360", duration=SOURCE_SECONDS)
        async with httpx.AsyncClient(base_url=topology.app_urls[0], timeout=60) as first_instance:
            sent = await upload_file(first_instance, owner, event_id, source)
        assert sent.status_code == 204, sent.text

        async def media_where(wanted: Any) -> dict[str, Any] | None:
            media: dict[str, Any] = (await http.get(f"/api/events/{event_id}/media", headers=owner_headers)).json()
            return media if wanted(media) else None

        transcoding = await wait_for(
            lambda: media_where(lambda m: m["status"] == "processing" and m["progress"] > 0),
            timeout=120,
            interval=0.1,
            what="the worker to start transcoding",
        )
        assert transcoding["progress"] < 90, transcoding
        orphans = children_named(topology.processes["worker"].pid, "ffmpeg")
        assert orphans, "the worker runs ffmpeg for the job"
        _crash(topology, "worker")
        topology.start_worker()

        async def transcode_actions() -> list[str]:
            log = (await http.get(f"/api/events/{event_id}/automation", headers=owner_headers)).json()["items"]
            return [entry["action"] for entry in reversed(log) if entry["action"].startswith("transcode.")]

        async def requeued() -> bool:
            return "transcode.retry" in await transcode_actions()

        # within the stale timeout plus one recovery round (20 + 5 s by default), with room for a loaded machine
        await wait_for(requeued, timeout=45, what="the dead worker's job to be re-queued")
        await wait_for(
            lambda: media_where(lambda m: m["status"] == "ready"), timeout=180, what="the new worker to finish the job"
        )
        assert not any(is_running(pid) for pid in orphans)  # the dead worker's ffmpeg went with it
        assert await transcode_actions() == ["transcode.start", "transcode.retry", "transcode.start", "transcode.end"]

        playback = await playback_of(http, event_id, "cv-topology-vod")
        assert playback["isLive"] is False and abs(playback["duration"] - SOURCE_SECONDS) < 0.3
        master = hls_strict.parse((await http.get(playback["playbackUrl"])).text)
        media_url = relative(playback["playbackUrl"], master.playlists[0].uri)
        media_playlist = hls_strict.parse((await http.get(media_url)).text)
        assert media_playlist.is_endlist and media_playlist.segments
        for segment in media_playlist.segments:
            response = await http.get(relative(media_url, segment.uri))
            assert response.status_code == 200 and response.content
        # Served by nginx itself: no instance saw a /media/ request.
        assert requests_in_log(topology, "app1", "/media/") + requests_in_log(topology, "app2", "/media/") == 0
        unsigned = await http.get(media_url.split("?")[0])
        assert unsigned.status_code == 403

        for _ in range(20):
            assert (await http.get(f"/api/events/{event_id}")).status_code == 200
    public_read = f"GET /api/events/{event_id} "
    assert requests_in_log(topology, "app1", public_read) >= 5
    assert requests_in_log(topology, "app2", public_read) >= 5


async def test_an_encoder_on_nginx_rtmp_is_watched_live_through_nginx(
    topology: Topology, owner_headers: dict[str, str], tmp_path: Path
) -> None:
    async with httpx.AsyncClient(base_url=topology.base_url, timeout=30) as http:
        event_id = await open_event(http, owner_headers, "live")
        live_input = (await http.get(f"/api/events/{event_id}/live-input", headers=owner_headers)).json()
        assert live_input["rtmpUrl"] == topology.rtmp_url
        encoder = await publish(f"{topology.rtmp_url}/{live_input['streamKey']}", tmp_path, seconds=120)
        try:

            async def live() -> bool:
                return bool((await http.get(f"/api/events/{event_id}")).json()["status"] == "live")

            await wait_for(live, timeout=60, what="the event to go live through nginx-rtmp")
            playback = await playback_of(http, event_id, "cv-topology-live")
            assert playback["isLive"] is True
            master = hls_strict.parse((await http.get(playback["playbackUrl"])).text)
            media_url = relative(playback["playbackUrl"], master.playlists[0].uri)
            first = hls_strict.parse((await http.get(media_url)).text)
            segment = await http.get(relative(media_url, first.segments[-1].uri))
            assert segment.status_code == 200 and segment.content

            async def grew() -> bool:
                now = hls_strict.parse((await http.get(media_url)).text)
                return now.media_sequence + len(now.segments) > first.media_sequence + len(first.segments)

            await wait_for(grew, timeout=30, what="the live playlist to grow")

            # The instance pulling the stream from nginx-rtmp crashes; the other takes the stream over
            # (its lease lapses after GOLIVE_LIVE_LEASE_SECONDS, 10 by default) and viewers keep watching.
            accepted = f"publish accepted for event {event_id}"
            (puller,) = [name for name in ("app1", "app2") if requests_in_log(topology, name, accepted)]
            _crash(topology, puller)
            crashed = hls_strict.parse((await http.get(media_url)).text)

            async def resumed() -> bool:
                now = hls_strict.parse((await http.get(media_url)).text)
                return bool(
                    now.media_sequence + len(now.segments) >= crashed.media_sequence + len(crashed.segments) + 3
                )

            await wait_for(resumed, timeout=45, what="the other instance to take the stream over")
            survivor = "app2" if puller == "app1" else "app1"
            assert requests_in_log(topology, survivor, accepted) == 1
            after = hls_strict.parse((await http.get(media_url)).text)
            assert any(segment.discontinuity for segment in after.segments)  # the seam of the takeover
            segment = await http.get(relative(media_url, after.segments[-1].uri))
            assert segment.status_code == 200 and segment.content
            assert encoder.process.returncode is None  # the encoder never noticed
            assert (await http.get(f"/api/events/{event_id}")).json()["status"] == "live"
            topology.start_instance(int(puller[-1]) - 1)  # back in the pool before the admin's POST

            ended = await http.post(f"/api/events/{event_id}/transitions", json={"to": "ended"}, headers=owner_headers)
            assert ended.status_code == 200, ended.text
            # GoLive drops the encoder at nginx-rtmp (rtmp_control) when the event ends.
            assert await encoder.wait(timeout=30) is not None
        finally:
            encoder.stop()
    hooks = requests_in_log(topology, "app1", "/api/ingest/on_publish") + requests_in_log(
        topology, "app2", "/api/ingest/on_publish"
    )
    assert hooks >= 1  # nginx-rtmp's hook reached an instance through the load balancer
