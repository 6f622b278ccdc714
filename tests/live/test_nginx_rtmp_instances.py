"""The scale topology's live ingest: nginx-rtmp in front of two `golive serve` instances on one database, one
Redis and one media directory. nginx's hooks go through a balancer that sends `on_publish` to instance A and
`on_publish_done` to instance B, the worst split a round robin can make.

The tests share the instances and run in file order: the last one SIGKILLs instance A.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from golive.live.ingest.nginx_rtmp import render_nginx_rtmp_conf
from tests import hls_strict
from tests.live.conftest import publish, relative, wait_for
from tests.live.test_nginx_rtmp import HOOK_SECRET, _owner_headers
from tests.live_server import LiveServer, free_port, run_server
from tests.media.edge import DEPLOY, wait_for_port
from tests.tools import redis_server, require_nginx_rtmp

pytestmark = pytest.mark.timeout(240)

LEASE_SECONDS = 4
RECONNECT_WINDOW_SECONDS = 5


@dataclass
class Topology:
    a: LiveServer  # gets on_publish: pulls every stream first
    b: LiveServer  # gets on_publish_done
    rtmp_base: str
    headers: dict[str, str]


def _balancer(lb_port: int, a: LiveServer, b: LiveServer) -> str:
    """An http server for nginx's own hooks: on_publish to A, on_publish_done to B."""
    return f"""
    server {{
        listen 127.0.0.1:{lb_port};
        location = /api/ingest/on_publish {{ proxy_pass {a.base_url}; }}
        location = /api/ingest/on_publish_done {{ proxy_pass {b.base_url}; }}
        location / {{ return 404; }}
    }}
"""


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="module")
async def topology(
    fresh_database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Topology]:
    nginx = require_nginx_rtmp()
    base = tmp_path_factory.mktemp("nginx-rtmp-instances")
    rtmp_port, control_port, lb_port = free_port(), free_port(), free_port()
    env = {
        "GOLIVE_EMBEDDED_WORKER": "false",
        "GOLIVE_RTMP_PORT": "off",
        "GOLIVE_REDIS_URL": redis_url,
        "GOLIVE_INGEST_HOOK_SECRET": HOOK_SECRET,
        "GOLIVE_INGEST_CONTROL_URL": f"http://127.0.0.1:{control_port}/control",
        "GOLIVE_INGEST_RELAY_URL": f"rtmp://127.0.0.1:{rtmp_port}/live",
        "GOLIVE_RTMP_PUBLIC_URL": f"rtmp://127.0.0.1:{rtmp_port}/live",
        "GOLIVE_LIVE_HEALTH_SECONDS": "0.5",
        "GOLIVE_LIVE_LEASE_SECONDS": str(LEASE_SECONDS),
        "GOLIVE_LIVE_RECONNECT_WINDOW_SECONDS": str(RECONNECT_WINDOW_SECONDS),
        "GOLIVE_LIVE_LADDER": '[{"name": "180p", "height": 180, "video_kbps": 250, "audio_kbps": 64}]',
    }
    shared = base / "golive"  # one media directory, as the instances of the topology share storage
    # started one after the other: each migrates the database on its way up
    with (
        run_server(fresh_database_url, shared, "server-a.log", **env) as a,
        run_server(fresh_database_url, shared, "server-b.log", **env) as b,
    ):
        runtime = base / "run"
        runtime.mkdir()
        conf = render_nginx_rtmp_conf(
            (DEPLOY / "nginx-rtmp.conf").read_text(),
            rtmp_listen=f"127.0.0.1:{rtmp_port}",
            control_listen=f"127.0.0.1:{control_port}",
            hook_base=f"http://127.0.0.1:{lb_port}",
            hook_secret=HOOK_SECRET,
            pull_from="127.0.0.1",
            runtime_dir=str(runtime),
        )
        http_end = conf.rindex("}")  # the http block closes the file
        conf = conf[:http_end] + _balancer(lb_port, a, b) + conf[http_end:]
        conf_path = base / "nginx.conf"
        conf_path.write_text(conf)
        directives = "daemon off; master_process on;" + (" user root;" if os.geteuid() == 0 else "")
        process = subprocess.Popen(
            [nginx, "-p", str(base), "-c", str(conf_path), "-e", str(runtime / "error.log"), "-g", directives]
        )
        try:
            wait_for_port(rtmp_port)
            wait_for_port(lb_port)
            yield Topology(a, b, f"rtmp://127.0.0.1:{rtmp_port}/live", await _owner_headers(a))
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
async def http_b(topology: Topology) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=topology.b.base_url, timeout=30) as client:
        yield client


async def _live_event(http: httpx.AsyncClient, topology: Topology, title: str) -> tuple[str, str]:
    created = await http.post("/api/events", json={"title": title, "eventType": "live"}, headers=topology.headers)
    assert created.status_code == 201, created.text
    event_id: str = created.json()["eventId"]
    moved = await http.post(f"/api/events/{event_id}/transitions", json={"to": "scheduled"}, headers=topology.headers)
    assert moved.status_code == 200, moved.text
    live_input = (await http.get(f"/api/events/{event_id}/live-input", headers=topology.headers)).json()
    return event_id, f"{topology.rtmp_base}/{live_input['streamKey']}"


async def _automation(http: httpx.AsyncClient, topology: Topology, event_id: str) -> list[dict[str, Any]]:
    response = await http.get(f"/api/events/{event_id}/automation", headers=topology.headers)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _state(http: httpx.AsyncClient, topology: Topology, event_id: str) -> str:
    live_input = (await http.get(f"/api/events/{event_id}/live-input", headers=topology.headers)).json()
    return str(live_input["state"])


async def _media_playlist_url(http: httpx.AsyncClient, event_id: str) -> str:
    registration = await http.post("/api/registrations", json={"eventId": event_id, "clientViewerId": f"cv-{event_id}"})
    token = registration.json()["token"]
    playback = await http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
    assert playback.status_code == 200 and playback.json()["isLive"] is True, playback.text
    master_url: str = playback.json()["playbackUrl"]
    master = hls_strict.parse((await http.get(master_url)).text)
    return relative(master_url, master.playlists[0].uri)


async def _last_sequence(http: httpx.AsyncClient, media_url: str) -> int:
    playlist = hls_strict.parse((await http.get(media_url)).text)
    return int(playlist.media_sequence + len(playlist.segments))


async def test_on_publish_done_on_the_other_instance_stops_the_broadcast_at_once(
    topology: Topology, http_b: httpx.AsyncClient, tmp_path: Path
) -> None:
    event_id, url = await _live_event(http_b, topology, "Stops through B")
    encoder = await publish(url, tmp_path, seconds=12)
    try:
        await wait_for(lambda: _is(http_b, topology, event_id, "connected"), timeout=30, what="A to pull the stream")
        assert await encoder.wait(timeout=40) == 0  # a clean unpublish: nginx calls on_publish_done, on B
        # A, which pulls the stream, stops on B's word (the broker), well before its relay would time out
        await wait_for(
            lambda: _is(http_b, topology, event_id, "reconnecting"), timeout=12, what="the stop to be noticed"
        )
        disconnected = [
            e for e in await _automation(http_b, topology, event_id) if e["action"] == "ingest.disconnected"
        ]
        assert [e["details"]["reason"] for e in disconnected] == ["the encoder stopped publishing (nginx-rtmp)"]
    finally:
        encoder.stop()


async def _is(http: httpx.AsyncClient, topology: Topology, event_id: str, state: str) -> bool:
    return await _state(http, topology, event_id) == state


async def test_another_instance_takes_over_when_the_pulling_instance_dies(
    topology: Topology, http_b: httpx.AsyncClient, tmp_path: Path
) -> None:
    event_id, url = await _live_event(http_b, topology, "Survives a crash")
    encoder = await publish(url, tmp_path, seconds=150)
    try:

        async def live() -> bool:
            return bool((await http_b.get(f"/api/events/{event_id}")).json()["status"] == "live")

        await wait_for(live, timeout=40, what="the event to go live (pulled by A)")
        media_url = await _media_playlist_url(http_b, event_id)
        before_crash = await _last_sequence(http_b, media_url)

        topology.a.process.kill()  # SIGKILL: no goodbye, its lease just stops being renewed
        topology.a.process.wait(timeout=10)

        async def taken_over() -> list[dict[str, Any]]:
            return [e for e in await _automation(http_b, topology, event_id) if e["action"] == "ingest.taken_over"]

        takeover = (await wait_for(taken_over, timeout=45, what="B to take the relay over"))[0]
        assert takeover["details"]["to"] != takeover["details"]["from"]
        # the playlist keeps growing, from B's relay, past the reconnect window that ended the event before
        resumed = await _last_sequence(http_b, media_url)

        async def grown() -> bool:
            return await _last_sequence(http_b, media_url) >= resumed + 2 * RECONNECT_WINDOW_SECONDS

        await wait_for(grown, timeout=60, what="the playlist to keep growing after the takeover")
        assert (await http_b.get(f"/api/events/{event_id}")).json()["status"] == "live"
        assert await _state(http_b, topology, event_id) == "connected"
        # the same broadcast continued: one connection, the media sequence went on, a discontinuity marks the seam
        actions = [e["action"] for e in await _automation(http_b, topology, event_id)]
        assert actions.count("ingest.connected") == 1 and "ingest.lost" not in actions
        playlist = hls_strict.parse((await http_b.get(media_url)).text)
        assert playlist.media_sequence + len(playlist.segments) > before_crash
        assert any(segment.discontinuity for segment in playlist.segments)
        assert encoder.process.returncode is None  # the encoder never noticed

        # B owns the stream now: ending the event drops the encoder at nginx
        ended = await http_b.post(f"/api/events/{event_id}/transitions", json={"to": "ended"}, headers=topology.headers)
        assert ended.status_code == 200
        assert await encoder.wait(timeout=20) is not None
    finally:
        encoder.stop()
