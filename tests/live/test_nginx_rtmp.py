"""The scale path: real nginx with Debian's nginx-rtmp (deploy/nginx-rtmp.conf) in front of a real
`golive serve`, calling its on_publish/on_publish_done hooks; encoders are real ffmpeg publishers."""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from golive.identity.staff.models import AdminRole
from golive.identity.staff.service import create_admin
from golive.live.ingest.nginx_rtmp import render_nginx_rtmp_conf
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests import hls_strict
from tests.live.conftest import GSTREAMER_SINKS, publish, publish_gstreamer, relative, wait_for
from tests.live_server import LiveServer, free_port, run_server
from tests.media.edge import DEPLOY, wait_for_port
from tests.tools import require_nginx_rtmp

pytestmark = pytest.mark.timeout(180)

HOOK_SECRET = "nginx-hook-secret-0123"
PASSWORD = "nginx-owner-password"
OWNER = "nginx-owner@example.com"


@dataclass
class Edge:
    server: LiveServer
    rtmp_base: str
    headers: dict[str, str]


async def _owner_headers(server: LiveServer) -> dict[str, str]:
    """An owner made straight in the server's database (quicker than a `golive admin create` process)."""
    settings = Settings(
        database_url=server.env["GOLIVE_DATABASE_URL"],
        data_dir=server.data_dir,
        secret_key=server.env["GOLIVE_SECRET_KEY"],
    )
    ctx = AppContext.from_settings(settings)
    try:
        async with ctx.db.sessionmaker() as session:
            await create_admin(session, email=OWNER, password=PASSWORD, name="Nginx owner", role=AdminRole.OWNER)
    finally:
        await ctx.close()
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        login = await http.post("/api/auth/login", json={"email": OWNER, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}


@pytest.fixture(scope="module")
async def edge(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Edge]:
    nginx = require_nginx_rtmp()
    base = tmp_path_factory.mktemp("nginx-rtmp")
    rtmp_port, control_port = free_port(), free_port()
    env = {
        "GOLIVE_EMBEDDED_WORKER": "false",
        "GOLIVE_RTMP_PORT": "off",  # nginx owns the encoders; nothing reaches GoLive but through the hooks
        "GOLIVE_INGEST_HOOK_SECRET": HOOK_SECRET,
        "GOLIVE_INGEST_CONTROL_URL": f"http://127.0.0.1:{control_port}/control",
        "GOLIVE_RTMP_PUBLIC_URL": f"rtmp://127.0.0.1:{rtmp_port}/live",
        "GOLIVE_LIVE_HEALTH_SECONDS": "0.5",
        "GOLIVE_LIVE_RECONNECT_WINDOW_SECONDS": "5",
        "GOLIVE_LIVE_LADDER": '[{"name": "180p", "height": 180, "video_kbps": 250, "audio_kbps": 64}]',
    }
    with run_server(fresh_database_url, base / "golive", **env) as server:
        runtime = base / "run"
        runtime.mkdir()
        conf = render_nginx_rtmp_conf(
            (DEPLOY / "nginx-rtmp.conf").read_text(),
            rtmp_listen=f"127.0.0.1:{rtmp_port}",
            control_listen=f"127.0.0.1:{control_port}",
            hook_base=server.base_url,
            hook_secret=HOOK_SECRET,
            pull_from="127.0.0.1",
            runtime_dir=str(runtime),
        )
        conf_path = base / "nginx.conf"
        conf_path.write_text(conf)
        directives = "daemon off; master_process on;" + (" user root;" if os.geteuid() == 0 else "")
        process = subprocess.Popen(
            [nginx, "-p", str(base), "-c", str(conf_path), "-e", str(runtime / "error.log"), "-g", directives]
        )
        try:
            wait_for_port(rtmp_port)
            yield Edge(server, f"rtmp://127.0.0.1:{rtmp_port}/live", await _owner_headers(server))
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
async def http(edge: Edge) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=edge.server.base_url, timeout=30) as client:
        yield client


async def live_event(http: httpx.AsyncClient, edge: Edge, title: str) -> tuple[str, dict[str, Any]]:
    created = await http.post("/api/events", json={"title": title, "eventType": "live"}, headers=edge.headers)
    assert created.status_code == 201, created.text
    event_id: str = created.json()["eventId"]
    moved = await http.post(f"/api/events/{event_id}/transitions", json={"to": "scheduled"}, headers=edge.headers)
    assert moved.status_code == 200, moved.text
    live_input = (await http.get(f"/api/events/{event_id}/live-input", headers=edge.headers)).json()
    return event_id, live_input


async def test_an_encoder_through_nginx_goes_live_and_viewers_watch(
    edge: Edge, http: httpx.AsyncClient, publisher_logs: Path
) -> None:
    event_id, live_input = await live_event(http, edge, "Through nginx")
    assert live_input["rtmpUrl"] == edge.rtmp_base
    encoder = await publish(f"{edge.rtmp_base}/{live_input['streamKey']}", publisher_logs, seconds=30)
    duplicate = None
    try:

        async def live() -> bool:
            return bool((await http.get(f"/api/events/{event_id}")).json()["status"] == "live")

        await wait_for(live, timeout=25, what="the event to go live through nginx")
        registration = await http.post("/api/registrations", json={"eventId": event_id, "clientViewerId": "cv-nginx1"})
        token = registration.json()["token"]
        playback = await http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
        assert playback.status_code == 200 and playback.json()["isLive"] is True
        master_url = playback.json()["playbackUrl"]
        master = hls_strict.parse((await http.get(master_url)).text)
        media_url = relative(master_url, master.playlists[0].uri)
        first = hls_strict.parse((await http.get(media_url)).text)
        await wait_for(
            lambda: _grew(http, media_url, first.media_sequence + len(first.segments)),
            timeout=10,
            what="the playlist to grow",
        )
        health = (await http.get(f"/api/events/{event_id}/live-input", headers=edge.headers)).json()
        assert health["state"] == "connected" and health["health"]["remoteAddr"] == "127.0.0.1"
        connected = [e for e in await _automation(http, edge, event_id) if e["action"] == "ingest.connected"]
        assert connected[0]["details"]["source"] == "nginx-rtmp"

        # nginx calls on_publish for a second encoder on the same key too: GoLive refuses it.
        duplicate = await publish(f"{edge.rtmp_base}/{live_input['streamKey']}", publisher_logs, seconds=10)
        assert await duplicate.wait(timeout=15) != 0
        assert encoder.process.returncode is None
        refusals = [e for e in await _automation(http, edge, event_id) if e["action"] == "ingest.refused"]
        assert refusals and refusals[0]["details"]["code"] == "already_publishing"
        # ... and the duplicate's on_publish_done (if any) ended nothing: the first still streams.
        before = hls_strict.parse((await http.get(media_url)).text)
        await wait_for(
            lambda: _grew(http, media_url, before.media_sequence + len(before.segments)),
            timeout=10,
            what="the first encoder to keep streaming",
        )
        assert (await http.get(f"/api/events/{event_id}/live-input", headers=edge.headers)).json()[
            "state"
        ] == "connected"

        # Ending the event stops GoLive's side and drops the encoder at nginx (rtmp_control).
        ended = await http.post(f"/api/events/{event_id}/transitions", json={"to": "ended"}, headers=edge.headers)
        assert ended.status_code == 200
        assert await encoder.wait(timeout=15) is not None

        async def ended_list() -> bool:
            return bool(hls_strict.parse((await http.get(media_url)).text).is_endlist)

        await wait_for(ended_list, timeout=10, what="the playlists to end")
    finally:
        encoder.stop()
        if duplicate is not None:
            duplicate.stop()


async def _grew(http: httpx.AsyncClient, url: str, last: int) -> bool:
    playlist = hls_strict.parse((await http.get(url)).text)
    return playlist.media_sequence + len(playlist.segments) >= last + 2


async def _automation(http: httpx.AsyncClient, edge: Edge, event_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await http.get(f"/api/events/{event_id}/automation", headers=edge.headers)).json()[
        "items"
    ]
    return items


@pytest.mark.parametrize("sink", GSTREAMER_SINKS)
async def test_a_gstreamer_encoder_publishes_through_nginx(
    edge: Edge, http: httpx.AsyncClient, publisher_logs: Path, sink: str
) -> None:
    event_id, live_input = await live_event(http, edge, f"Through nginx by {sink}")
    encoder = await publish_gstreamer(
        f"{edge.rtmp_base}/{live_input['streamKey']}", publisher_logs, sink=sink, seconds=30
    )
    try:

        async def live() -> bool:
            return bool((await http.get(f"/api/events/{event_id}")).json()["status"] == "live")

        await wait_for(live, timeout=25, what=f"the event published by {sink} to go live through nginx")
        registration = await http.post("/api/registrations", json={"eventId": event_id, "clientViewerId": f"cv-{sink}"})
        token = registration.json()["token"]
        playback = await http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
        master_url = playback.json()["playbackUrl"]
        master = hls_strict.parse((await http.get(master_url)).text)
        media_url = relative(master_url, master.playlists[-1].uri)
        first = hls_strict.parse((await http.get(media_url)).text)
        await wait_for(
            lambda: _grew(http, media_url, first.media_sequence + len(first.segments)),
            timeout=15,
            what=f"the playlist fed by {sink} to grow",
        )
        health = (await http.get(f"/api/events/{event_id}/live-input", headers=edge.headers)).json()["health"]
        assert (health["width"], health["height"]) == (640, 360) and health["audioCodec"] == "aac"
        ended = await http.post(f"/api/events/{event_id}/transitions", json={"to": "ended"}, headers=edge.headers)
        assert ended.status_code == 200
        assert await encoder.wait(timeout=15) is not None  # dropped at nginx (rtmp_control)
    finally:
        encoder.stop()


async def test_nginx_refuses_a_wrong_key(edge: Edge, http: httpx.AsyncClient, publisher_logs: Path) -> None:
    encoder = await publish(f"{edge.rtmp_base}/glk_{'1' * 40}", publisher_logs, seconds=10)
    assert await encoder.wait(timeout=15) != 0


async def test_an_encoder_that_stops_leaves_the_input_reconnecting(
    edge: Edge, http: httpx.AsyncClient, publisher_logs: Path
) -> None:
    event_id, live_input = await live_event(http, edge, "Short show")
    encoder = await publish(f"{edge.rtmp_base}/{live_input['streamKey']}", publisher_logs, seconds=4)

    async def state(expected: str) -> bool:
        response = await http.get(f"/api/events/{event_id}/live-input", headers=edge.headers)
        return bool(response.json()["state"] == expected)

    await wait_for(lambda: state("connected"), timeout=15, what="connected through nginx")
    assert await encoder.wait(timeout=15) == 0
    await wait_for(lambda: state("reconnecting"), timeout=15, what="on_publish_done / the relay's end")
    # A rotated key is refused at nginx from now on.
    rotated = await http.post(f"/api/events/{event_id}/live-input/rotate", headers=edge.headers)
    assert rotated.status_code == 200
    again = await publish(f"{edge.rtmp_base}/{live_input['streamKey']}", publisher_logs, seconds=10)
    assert await again.wait(timeout=15) != 0
