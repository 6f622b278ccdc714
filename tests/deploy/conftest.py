"""The loopback topology from deploy/topology.py as a fixture: two instances, a worker, nginx, nginx-rtmp, Redis.

Module-scoped and returned whole (a `Topology`), so a test can stop or restart one instance
(`stop_process("app1")`, `start_instance(0)`) or the worker (`stop_process("worker")`, `start_worker()`).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.support import DESKTOP_UA
from tests.tools import require_nginx_njs, require_nginx_rtmp, require_tool

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
OWNER = "topology-owner@example.com"
PASSWORD = "topology-password-123"
SMALL_LADDER = '[{"name": "180p", "height": 180, "video_kbps": 250, "audio_kbps": 64}]'


def load_topology_module() -> ModuleType:
    """deploy/topology.py is a script, not a package module: loaded by path."""
    spec = importlib.util.spec_from_file_location("golive_deploy_topology", DEPLOY / "topology.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


topology_module = load_topology_module()
Topology = topology_module.Topology


def _running(directory: Path, *, s3: bool) -> Iterator[Topology]:
    require_nginx_njs()
    require_nginx_rtmp()
    require_tool("Redis (redis-server)", "redis-server")
    # Always PostgreSQL (several instances cannot share SQLite): the suite's server when it runs on one.
    suite_url = os.environ.get("GOLIVE_DATABASE_URL", "")
    postgres_url = suite_url if suite_url.startswith("postgresql") else topology_module.ADMIN_POSTGRES_URL
    running = topology_module.start(
        directory,
        postgres_url=postgres_url,
        s3=s3,
        extra_env={
            "GOLIVE_ENVIRONMENT": "test",
            "GOLIVE_SEGMENT_SECONDS": "1",
            "GOLIVE_LADDER": SMALL_LADDER,
            "GOLIVE_LIVE_LADDER": SMALL_LADDER,
            "GOLIVE_LIVE_HEALTH_SECONDS": "0.5",
        },
    )
    try:
        subprocess.run(
            [
                *(str(topology_module.BIN / "golive"), "admin", "create"),
                *("--email", OWNER, "--password", PASSWORD, "--name", "Topology owner", "--role", "owner"),
            ],
            env=running.env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    """Media on the shared local folder."""
    yield from _running(tmp_path_factory.mktemp("topology"), s3=False)


@pytest.fixture(scope="module")
def s3_topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    """Media in a bucket on a moto server that checks every request's signature."""
    yield from _running(tmp_path_factory.mktemp("topology-s3"), s3=True)


def login_headers(topology: Topology) -> dict[str, str]:
    login = httpx.post(f"{topology.base_url}/api/auth/login", json={"email": OWNER, "password": PASSWORD}, timeout=30)
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}


@pytest.fixture(scope="module")
def owner_headers(topology: Topology) -> dict[str, str]:
    return login_headers(topology)


async def open_event(http: httpx.AsyncClient, headers: dict[str, str], event_type: str) -> str:
    created = await http.post(
        "/api/events", json={"title": f"Topology {event_type}", "eventType": event_type}, headers=headers
    )
    assert created.status_code == 201, created.text
    event_id: str = created.json()["eventId"]
    targets = ("scheduled", "live") if event_type == "vod" else ("scheduled",)
    for target in targets:
        moved = await http.post(f"/api/events/{event_id}/transitions", json={"to": target}, headers=headers)
        assert moved.status_code == 200, moved.text
    return event_id


async def playback_of(http: httpx.AsyncClient, event_id: str, viewer: str) -> dict[str, Any]:
    registration = await http.post(
        "/api/registrations", json={"eventId": event_id, "clientViewerId": viewer}, headers={"User-Agent": DESKTOP_UA}
    )
    assert registration.status_code == 200, registration.text
    token = registration.json()["token"]
    playback = await http.get(f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
    assert playback.status_code == 200, playback.text
    body: dict[str, Any] = playback.json()
    return body


def requests_in_log(topology: Topology, name: str, needle: str) -> int:
    return sum(needle in line for line in topology.log(name).read_text(errors="replace").splitlines())
