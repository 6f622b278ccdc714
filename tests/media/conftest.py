"""Real parts for media tests: lavfi sources made on the fly, a moto S3 server, and nginx with njs."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from golive.media.ffmpeg import find_tools
from golive.platform.settings import RenditionSpec, Settings
from golive.platform.tokens import UrlSigner
from tests.live_server import free_port
from tests.media.edge import run_nginx_edge, wait_for_port
from tests.tools import require_nginx_njs

MakeVideo = Callable[..., Path]


def make_video_file(
    path: Path,
    *,
    size: str = "320x180",
    duration: float = 2.0,
    fps: int = 30,
    audio: bool = True,
    video: bool = True,
    extra: tuple[str, ...] = (),
) -> Path:
    """A testsrc2 (+ sine) clip; never committed, always generated into the test's tmp dir."""
    args = [find_tools().ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y"]
    if video:
        args += ["-f", "lavfi", "-i", f"testsrc2=s={size}:r={fps}:d={duration}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:d={duration}"]
    if video:
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac"]
    args += [*extra, str(path)]
    subprocess.run(args, check=True)
    return path


@pytest.fixture(scope="session")
def video_file_maker() -> MakeVideo:
    """`make_video_file` for fixtures wider than one test (they pick their own folder)."""
    return make_video_file


@pytest.fixture
def make_video(tmp_path: Path) -> MakeVideo:
    def make(name: str = "source.mp4", **options: object) -> Path:
        return make_video_file(tmp_path / name, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def media_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", secret_key="test-secret", segment_seconds=1)


@pytest.fixture(scope="session")
def signer() -> UrlSigner:
    return UrlSigner("test-secret")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    wait_for_port(port)
    yield f"http://127.0.0.1:{port}"
    server.stop()


@dataclass
class NginxEdge:
    base_url: str
    media_root: Path
    runtime_dir: Path


@pytest.fixture(scope="module")
def nginx_edge(tmp_path_factory: pytest.TempPathFactory, signer: UrlSigner) -> Iterator[NginxEdge]:
    """nginx from deploy/nginx.conf on a free loopback port, with its own prefix and temp folders."""
    require_nginx_njs()
    base = tmp_path_factory.mktemp("nginx")
    media_root = base / "media"
    media_root.mkdir()
    with run_nginx_edge(media_root, signer, base) as base_url:
        yield NginxEdge(base_url=base_url, media_root=media_root, runtime_dir=base / "run")


SMALL_LADDER = [
    RenditionSpec(name="360p", height=360, video_kbps=600, audio_kbps=64),
    RenditionSpec(name="180p", height=180, video_kbps=200, audio_kbps=64),
]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The app's test settings with a small, quick ladder (1 s segments) and frequent progress reports."""
    return settings.model_copy(update={"ladder": SMALL_LADDER, "segment_seconds": 1, "transcode_progress_seconds": 0.1})
