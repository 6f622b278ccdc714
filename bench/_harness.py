"""Shared by the benchmarks: a real server on SQLite or a fresh PostgreSQL database, and `hey` as the load."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import _create_postgres_database, _drop_postgres_database
from tests.deploy.conftest import OWNER as TOPOLOGY_OWNER
from tests.deploy.conftest import PASSWORD as TOPOLOGY_PASSWORD
from tests.deploy.conftest import topology_module
from tests.live_server import LiveServer, free_port, run_server
from tests.media.edge import DEPLOY, run_nginx_edge
from tests.support import code_in

from golive.migrate import upgrade

__all__ = [
    "DEPLOY",
    "TOPOLOGY_OWNER",
    "TOPOLOGY_PASSWORD",
    "code_in",
    "emit",
    "free_port",
    "hey",
    "run_nginx_edge",
    "run_server",
    "server_on",
    "topology_module",
]

POSTGRES_URL = os.environ.get("GOLIVE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def server_on(database: str, **extra: str) -> Iterator[LiveServer]:
    """A migrated `golive serve` on SQLite or on a new PostgreSQL database, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"golive-bench-{database}-") as tmp:
        data_dir = Path(tmp) / "var"
        admin_dsn = ""
        if database == "postgresql":
            url, admin_dsn = _create_postgres_database(POSTGRES_URL)
        else:
            data_dir.mkdir(parents=True)
            url = f"sqlite+aiosqlite:///{data_dir / 'golive.platform.db'}"
        try:
            upgrade(url)
            extra.setdefault("GOLIVE_EMBEDDED_WORKER", "false")
            with run_server(url, data_dir, **extra) as server:
                yield server
        finally:
            if admin_dsn:
                _drop_postgres_database(admin_dsn, url.rsplit("/", 1)[1])


def hey(
    url: str,
    requests: int,
    concurrency: int,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: str | None = None,
) -> dict[str, Any]:
    """Runs `hey` (keep-alive, fixed request count) and reduces its per-request CSV to figures."""
    if shutil.which("hey") is None:
        raise SystemExit("bench needs `hey`: apt-get install hey")
    command = ["hey", "-n", str(requests), "-c", str(concurrency), "-m", method, "-o", "csv"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if body is not None:
        command += ["-T", "application/json", "-d", body]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(output)))
    latencies = sorted(float(r["response-time"]) * 1000 for r in rows)
    offsets = [float(r["offset"]) + float(r["response-time"]) for r in rows]
    statuses: dict[str, int] = {}
    for row in rows:
        statuses[row["status-code"]] = statuses.get(row["status-code"], 0) + 1
    wall = max(offsets) if offsets else 0.0
    return {
        "requests": len(rows),
        "rps": round(len(rows) / wall, 1) if wall else 0.0,
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "statuses": statuses,
    }


def emit(result: dict[str, Any]) -> None:
    print(json.dumps(result, separators=(",", ":")))
