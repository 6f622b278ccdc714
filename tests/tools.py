"""The system tools the suite drives (Debian packages listed in deploy/system-packages.txt, set up by
`make system-deps`). A test asks for its tool with require_tool: without it the test is skipped on a
developer's machine, and fails when CI is set, so a green CI run always means the whole suite ran."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from golive.live.ingest.nginx_rtmp import RTMP_MODULE
from golive.media.hls import NJS_MODULE
from tests.live_server import free_port

# nginx lives in /usr/sbin, which is not on an ordinary user's PATH
SYSTEM_DIRS = ("/usr/sbin", "/sbin")
CHROMIUM = "/usr/bin/chromium"


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_program(name: str) -> str | None:
    """The program's path on PATH or in the system directories, or None."""
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(SYSTEM_DIRS))


def require_tool(what: str, program: str, files: Iterable[str | Path] = ()) -> str:
    """The program's path; skips (or under CI fails) the test when it or one of `files` is missing.

    `what` names the tool and its Debian packages, for the message, e.g. "nginx with njs (nginx, libnginx-mod-http-js)".
    """
    found = program if os.sep in program and os.access(program, os.X_OK) else find_program(program)
    missing = [str(file) for file in files if not Path(file).exists()]
    if found is not None and not missing:
        return found
    reason = f"{what} is not installed (make system-deps installs it)"
    if under_ci():
        pytest.fail(f"{reason}; CI runs every test, so this is a failure", pytrace=False)
    pytest.skip(reason)


def require_nginx_njs() -> str:
    """nginx as the media edge (deploy/nginx.conf)."""
    return require_tool("nginx with the njs module (nginx, libnginx-mod-http-js)", "nginx", [NJS_MODULE])


def require_nginx_rtmp() -> str:
    """nginx as the live ingest (deploy/nginx-rtmp.conf)."""
    return require_tool("nginx with the RTMP module (nginx, libnginx-mod-rtmp)", "nginx", [RTMP_MODULE])


def require_chromium() -> str:
    """Debian's Chromium, which Playwright drives (never a downloaded browser)."""
    return require_tool("Chromium (chromium)", CHROMIUM)


@contextmanager
def redis_server() -> Iterator[str]:
    """The URL of a Redis for the tests: GOLIVE_TEST_REDIS_URL when set, else a private redis-server started on a
    free loopback port (nothing on disk), so the suite needs no Redis service of the machine."""
    configured = os.environ.get("GOLIVE_TEST_REDIS_URL")
    if configured:
        yield configured
        return
    program = require_tool("Redis (redis-server)", "redis-server")
    port = free_port()
    argv = [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as client, suppress(OSError):
                client.connect(("127.0.0.1", port))
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
