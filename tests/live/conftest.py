"""Live tests: one app per module with the RTMP listener on a free port, a real ffmpeg publisher.

Each module tells one broadcast's story in order (go live, watch, end, replay), sharing one app and
database, so a few seconds of real streaming cover many behaviours and the whole folder stays fast.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shlex
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import select

from golive.app import create_app
from golive.identity.staff.models import AdminRole
from golive.live.models import LiveInput
from golive.live.runtime import LiveRuntime
from golive.media.ffmpeg import find_tools
from golive.platform.context import AppContext
from golive.platform.settings import RenditionSpec, Settings
from tests.conftest import CLIENT_IP, SHUTDOWN_TIMEOUT, _empty_all_tables
from tests.live_server import free_port
from tests.support import AdminLogin, Factory
from tests.tools import require_tool

LIVE_LADDER = [RenditionSpec(name="180p", height=180, video_kbps=250, audio_kbps=64)]
VOD_LADDER = [RenditionSpec(name="180p", height=180, video_kbps=250, audio_kbps=64)]


def live_test_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "secret_key": "live-secret-" + "z" * 40,
        "embedded_worker": False,
        "environment": "test",
        "rtmp_port": free_port(),
        "rtmp_host": "127.0.0.1",
        "rtmp_publish_deadline_seconds": 3.0,
        "live_health_seconds": 0.5,
        "live_reconnect_window_seconds": 5,
        "live_window_seconds": 6,
        "live_dvr_seconds": 30,
        "live_ladder": LIVE_LADDER,
        "ladder": VOD_LADDER,
        "segment_seconds": 1,
        "transcode_progress_seconds": 0.2,
        **overrides,
    }
    return Settings(**values)


@dataclass
class LiveSite:
    """One app with its RTMP listener, an HTTP client for it, and an owner to call the admin API."""

    app: FastAPI
    ctx: AppContext
    http: httpx.AsyncClient
    factory: Factory
    owner: AdminLogin

    @property
    def runtime(self) -> LiveRuntime:
        runtime: LiveRuntime = self.app.state.live
        return runtime

    @property
    def rtmp_base(self) -> str:
        return f"rtmp://127.0.0.1:{self.runtime.rtmp_port}/live"

    async def live_event(self, **fields: Any) -> dict[str, Any]:
        """A scheduled live event (auto start and end unless told otherwise) with its live input."""
        event = await self.factory.event(self.owner, eventType="live", **fields)
        moved = await self.transition(event["eventId"], "scheduled")
        assert moved.status_code == 200, moved.text
        return {**moved.json(), "input": await self.live_input(event["eventId"])}

    async def live_input(self, event_id: str) -> dict[str, Any]:
        response = await self.http.get(f"/api/events/{event_id}/live-input", headers=self.owner.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def event(self, event_id: str) -> dict[str, Any]:
        response = await self.http.get(f"/api/events/{event_id}", headers=self.owner.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def transition(self, event_id: str, target: str) -> httpx.Response:
        return await self.http.post(
            f"/api/events/{event_id}/transitions", json={"to": target}, headers=self.owner.headers
        )

    async def automation(self, event_id: str) -> list[dict[str, Any]]:
        response = await self.http.get(f"/api/events/{event_id}/automation", headers=self.owner.headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


async def input_ids(site: LiveSite, event_id: str) -> list[str]:
    """The event's live inputs (one), as the queued recording job names it."""
    async with site.ctx.db.sessionmaker() as session:
        return list(await session.scalars(select(LiveInput.live_input_id).where(LiveInput.event_id == event_id)))


async def _live_site(settings: Settings, *, empty: bool = True) -> AsyncIterator[LiveSite]:
    """The app; `empty=False` keeps the database (a restart of the same server)."""
    if empty:
        await _empty_all_tables(settings.resolved_database_url)
    app = create_app(settings)
    async with LifespanManager(app, shutdown_timeout=SHUTDOWN_TIMEOUT):
        transport = httpx.ASGITransport(app=app, client=(CLIENT_IP, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as http:
            ctx: AppContext = app.state.ctx
            factory = Factory(ctx, http)
            owner = await factory.admin(AdminRole.OWNER, email=f"owner-{secrets.token_hex(4)}@example.com")
            yield LiveSite(app, ctx, http, factory, owner)


@pytest.fixture(scope="module")
async def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveSite]:
    async for live_site in _live_site(live_test_settings(database_url, tmp_path_factory.mktemp("live"))):
        yield live_site


# --- the publisher --------------------------------------------------------------------------------


@dataclass
class Publisher:
    process: asyncio.subprocess.Process
    log_path: Path

    async def wait(self, timeout: float = 30.0) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout)

    def stop(self) -> None:
        """Like an encoder losing its connection (no clean unpublish)."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


async def publish(
    url: str,
    log_dir: Path,
    *,
    seconds: float = 8.0,
    size: str = "640x360",
    fps: int = 30,
    gop_seconds: float = 1.0,
    audio: bool = True,
    extra_video: tuple[str, ...] = (),
) -> Publisher:
    """ffmpeg as the encoder: lavfi test pattern (+ a tone), x264 at `-re`, pushed over RTMP like OBS."""
    args = [find_tools().ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning", "-re"]
    args += ["-f", "lavfi", "-i", f"testsrc2=s={size}:r={fps}"]
    if audio:
        args += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
    args += ["-t", f"{seconds}", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency"]
    args += ["-g", str(round(fps * gop_seconds)), "-pix_fmt", "yuv420p", "-b:v", "800k", *extra_video]
    if audio:
        args += ["-c:a", "aac", "-b:a", "64k"]
    args += ["-f", "flv", url]
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"publisher-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(*args, stdout=log, stderr=log)
    return Publisher(process, log_path)


GSTREAMER_SINKS = ("rtmp2sink", "rtmpsink")  # GStreamer's own RTMP client, and its librtmp one


async def publish_gstreamer(
    url: str, log_dir: Path, *, sink: str, seconds: float = 8.0, size: tuple[int, int] = (640, 360), fps: int = 30
) -> Publisher:
    """GStreamer as the encoder (a strict RTMP client, like hardware encoders): x264 + AAC in FLV, live."""
    assert sink in GSTREAMER_SINKS, sink
    gst = require_tool("GStreamer (gstreamer1.0-tools, -plugins-base/good/bad/ugly)", "gst-launch-1.0")
    location = url if sink == "rtmp2sink" else f"{url} live=1"  # librtmp's options follow the URL
    width, height = size
    audio_buffers = round(seconds * 44100 / 1024)  # audiotestsrc's default 1024 samples a buffer
    pipeline = (
        f"videotestsrc is-live=true pattern=smpte num-buffers={round(seconds * fps)}"
        f" ! video/x-raw,width={width},height={height},framerate={fps}/1"
        f" ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=800 key-int-max={fps} ! h264parse"
        f' ! flvmux name=mux streamable=true ! {sink} location="{location}"'
        f" audiotestsrc is-live=true wave=sine freq=440 num-buffers={audio_buffers}"
        " ! audio/x-raw,rate=44100,channels=2 ! audioconvert ! voaacenc bitrate=64000 ! aacparse ! mux."
    )
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"gstreamer-{sink}-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(*[gst, "-q", *shlex.split(pipeline)], stdout=log, stderr=log)
    return Publisher(process, log_path)


async def wait_for(
    check: Callable[[], Awaitable[Any]], *, timeout: float = 20.0, interval: float = 0.2, what: str = "condition"
) -> Any:
    """Polls `check` until it returns something truthy; fails with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def transcoder_children() -> list[int]:
    """ffmpeg processes started by this test process that read FLV from stdin: live transcoders."""
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        state = stat.rsplit(")", 1)[1].split()[0]
        if parent == me and state != "Z" and b"pipe:0" in cmdline and cmdline[0].endswith(b"ffmpeg"):
            found.append(int(entry.name))
    return found


async def viewer_token(site: LiveSite, event_id: str) -> str:
    response = await site.factory.register(event_id)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def relative(base_url: str, uri: str) -> str:
    return httpx.URL(base_url).join(uri).raw_path.decode()


async def fetch_text(site: LiveSite, url: str) -> str:
    response = await site.http.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response.text


@pytest.fixture(scope="module")
def publisher_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("publishers")
