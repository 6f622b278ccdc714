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

import httpx
import pytest

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


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    require_nginx_njs()
    require_nginx_rtmp()
    require_tool("Redis (redis-server)", "redis-server")
    # Always PostgreSQL (several instances cannot share SQLite): the suite's server when it runs on one.
    suite_url = os.environ.get("GOLIVE_DATABASE_URL", "")
    postgres_url = suite_url if suite_url.startswith("postgresql") else topology_module.ADMIN_POSTGRES_URL
    running = topology_module.start(
        tmp_path_factory.mktemp("topology"),
        postgres_url=postgres_url,
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
def owner_headers(topology: Topology) -> dict[str, str]:
    login = httpx.post(f"{topology.base_url}/api/auth/login", json={"email": OWNER, "password": PASSWORD}, timeout=30)
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}
