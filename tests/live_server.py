"""A real `golive` process on a free loopback port, for tests that need HTTP over a socket."""

from __future__ import annotations

import fcntl
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

GOLIVE = str(Path(sys.executable).parent / "golive")


# Ports handed out by any test process on this machine, so two runs side by side (CI runs SQLite and PostgreSQL at
# once) never give one port to two servers: taken below the kernel's ephemeral range (where outgoing connections
# take theirs), each checked free, and not handed out again for a while.
PORT_RANGE = range(20000, 32000)
PORT_LEDGER = Path(tempfile.gettempdir()) / "golive-test-ports"
PORT_QUARANTINE_SECONDS = 900


def free_port() -> int:
    with open(PORT_LEDGER, "a+") as ledger:
        fcntl.flock(ledger, fcntl.LOCK_EX)
        ledger.seek(0)
        try:
            handed_out: dict[str, float] = json.loads(ledger.read() or "{}")
        except ValueError:
            handed_out = {}
        now = time.time()
        recent = {port: when for port, when in handed_out.items() if now - when < PORT_QUARANTINE_SECONDS}
        while True:
            port = random.choice(PORT_RANGE)
            if str(port) not in recent and _bindable(port):
                break
        recent[str(port)] = now
        ledger.seek(0)
        ledger.truncate()
        json.dump(recent, ledger)
        return port


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass
class LiveServer:
    base_url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Runs a `golive` command with the same settings as the server."""
        return subprocess.run([GOLIVE, *args], env=self.env, capture_output=True, text=True, check=check, timeout=120)


def server_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOLIVE_")}
    env.update(
        GOLIVE_DATABASE_URL=database_url,
        GOLIVE_DATA_DIR=str(data_dir),
        GOLIVE_SECRET_KEY="live-test-secret-" + "y" * 32,
        GOLIVE_ENVIRONMENT="test",
        GOLIVE_PASSWORD_HASH_PROFILE=os.environ.get("GOLIVE_PASSWORD_HASH_PROFILE", "fast"),
    )
    env.setdefault("GOLIVE_RTMP_PORT", "0")  # never the shared default 1935; pass a free port to listen
    # The shared test database holds other tests' unfinished assets: a server's worker hands stale transcodes
    # back to the queue only when its test asks for it (with a short GOLIVE_TRANSCODE_RECOVERY_SECONDS)
    env.setdefault("GOLIVE_TRANSCODE_RECOVERY_SECONDS", "3600")
    env.update(extra)
    return env


@contextmanager
def run_server(database_url: str, data_dir: Path, log_name: str = "server.log", **extra: str) -> Iterator[LiveServer]:
    """`golive serve` on a free port; instances sharing `data_dir` (the scale topology) need their own `log_name`."""
    port = free_port()
    env = server_env(database_url, data_dir, GOLIVE_PORT=str(port), GOLIVE_HOST="127.0.0.1", **extra)
    log_path = data_dir / log_name
    data_dir.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen([GOLIVE, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"golive serve exited early:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"golive serve did not become healthy:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield LiveServer(base_url=base_url, data_dir=data_dir, env=env, process=process)
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
