"""nginx from deploy/nginx.conf as a local media edge, for the tests and bench/segments.py."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from golive.media.hls import render_nginx_conf, write_edge_key_file
from golive.platform.tokens import UrlSigner
from tests.live_server import free_port
from tests.tools import find_program

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as client, contextlib.suppress(OSError):
            client.settimeout(0.2)
            client.connect(("127.0.0.1", port))
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {port}")


@contextmanager
def run_nginx_edge(media_root: Path, signer: UrlSigner, workdir: Path, template: str | None = None) -> Iterator[str]:
    """nginx on a free loopback port with its own prefix, key file, logs and temp folders under `workdir`.

    `template` replaces deploy/nginx.conf (bench/segments.py's baseline drops its signature checks).
    """
    runtime_dir = workdir / "run"
    runtime_dir.mkdir(parents=True, exist_ok=True)
    key_file = workdir / "media_key.json"
    write_edge_key_file(signer, key_file)
    port = free_port()
    conf = render_nginx_conf(
        template if template is not None else (DEPLOY / "nginx.conf").read_text(),
        listen=f"127.0.0.1:{port}",
        media_root=media_root,
        media_key_file=key_file,
        app_upstream=f"127.0.0.1:{free_port()}",
        runtime_dir=runtime_dir,
        njs_dir=DEPLOY,
    )
    conf_path = workdir / "nginx.conf"
    conf_path.write_text(conf)
    # Workers run as root only when we are root: pytest's tmp dirs are private to their owner.
    directives = "daemon off; master_process on;" + (" user root;" if os.geteuid() == 0 else "")
    nginx = find_program("nginx") or "nginx"
    process = subprocess.Popen(
        [nginx, "-p", str(workdir), "-c", str(conf_path), "-e", str(runtime_dir / "error.log"), "-g", directives]
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
