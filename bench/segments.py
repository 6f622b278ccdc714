"""Signed segment requests per second: nginx (njs HMAC check + sendfile) vs plain nginx vs the app; one JSON line.

Makes a small asset, starts nginx from deploy/nginx.conf on a free loopback port, and fires a fixed
number of signed segment requests from 50 concurrent keep-alive clients. The baseline is the same
configuration with its two signature checks removed (plain nginx serving the same files with the same
headers and file cache), measured in the same run: `ratio_signed_over_plain` is the cost of the checks.
The same signed paths are then
measured against the app's own delivery route (GET /media/..., the same URL layout): by default a
`golive serve` started here on SQLite whose data dir holds the asset, or with `--app-url` an app you
run yourself, which must serve `--media-root` with the same `--secret`
(e.g. GOLIVE_DATA_DIR=<dir whose media/ is --media-root> GOLIVE_SECRET_KEY=<secret>).
Load comes from `hey` through bench/_harness.py, like the other benchmarks.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import secrets
import statistics
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _harness import DEPLOY, emit, hey, run_nginx_edge, run_server
from golive.media.ffmpeg import find_tools
from golive.media.hls import asset_prefix, grant_playback
from golive.media.ladder import transcode_vod
from golive.migrate import upgrade
from golive.platform.settings import Settings
from golive.platform.tokens import UrlSigner

ASSET_ID = "01HBENCHSEGMENTS"


def measure(base_url: str, paths: Sequence[str], *, concurrency: int = 50, requests: int = 5000) -> dict[str, Any]:
    """`requests` signed GETs spread over `paths` (one `hey` run per path, keep-alive, `concurrency` clients).

    p50 is the median of the runs' medians, p99 the worst run's p99 (conservative across runs).
    """
    per_path = max(concurrency, requests // len(paths))
    runs = [hey(base_url.rstrip("/") + path, per_path, concurrency) for path in paths]
    total = sum(run["requests"] for run in runs)
    wall = sum(run["requests"] / run["rps"] for run in runs if run["rps"])
    statuses: dict[str, int] = {}
    for run in runs:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "requests": total,
        "rps": round(total / wall, 1) if wall else 0.0,
        "p50_ms": round(statistics.median(run["p50_ms"] for run in runs), 2),
        "p99_ms": max(run["p99_ms"] for run in runs),
        "statuses": statuses,
    }


def make_asset(media_root: Path, workdir: Path) -> list[str]:
    """A 640x360, 8 s asset with 1 s segments; returns its segment paths relative to the asset folder."""
    source = workdir / "source.mp4"
    subprocess.run(
        [
            find_tools().ffmpeg,
            "-hide_banner",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=640x360:r=30:d=8",
            "-f",
            "lavfi",
            "-i",
            "sine=d=8",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            str(source),
        ],
        check=True,
    )
    settings = Settings(data_dir=workdir / "data", secret_key="bench", segment_seconds=1)
    out = media_root / ASSET_ID
    transcode_vod(source, out, settings)
    return sorted(path.relative_to(out).as_posix() for path in out.rglob("*.m4s"))


def without_signature_checks(template: str) -> str:
    """deploy/nginx.conf with the segment location's two `if ($golive_media_access ...)` blocks removed."""
    plain, removed = re.subn(r"\n *if \(\$golive_media_access [^)]*\) \{[^}]*\}", "", template)
    if removed != 2:
        raise SystemExit(f"deploy/nginx.conf changed: expected 2 signature checks, found {removed}")
    return plain


@contextmanager
def run_app(data_dir: Path) -> Iterator[tuple[str, str]]:
    """`golive serve` on SQLite (no embedded worker) over `data_dir`; yields its URL and its secret."""
    url = f"sqlite+aiosqlite:///{data_dir / 'golive.platform.db'}"
    upgrade(url)
    with run_server(url, data_dir, GOLIVE_EMBEDDED_WORKER="false") as server:
        yield server.base_url, server.env["GOLIVE_SECRET_KEY"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app-url", help="base URL of a running GoLive app serving --media-root with --secret")
    parser.add_argument("--media-root", type=Path, help="with --app-url: where to write the asset")
    parser.add_argument("--secret", default=secrets.token_urlsafe(32), help="with --app-url: its GOLIVE_SECRET_KEY")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="signed/plain pairs; the best of each is reported")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="golive-bench-") as temp:
        workdir = Path(temp)
        data_dir = workdir / "var"
        media_root = args.media_root or data_dir / "media"
        media_root.mkdir(parents=True, exist_ok=True)
        segments = make_asset(media_root, workdir)
        sizes = [(media_root / ASSET_ID / segment).stat().st_size for segment in segments]
        with contextlib.ExitStack() as stack:
            if args.app_url:
                app_url, secret = args.app_url, args.secret
            else:
                app_url, secret = stack.enter_context(run_app(data_dir))
            signer = UrlSigner(secret)
            grant = grant_playback(signer, asset_prefix(ASSET_ID), ttl_seconds=3600)
            paths = [grant.url(segment) for segment in segments]
            plain_template = without_signature_checks((DEPLOY / "nginx.conf").read_text())
            with (
                run_nginx_edge(media_root, signer, workdir / "nginx") as nginx_url,
                run_nginx_edge(media_root, signer, workdir / "plain", plain_template) as plain_url,
            ):
                # Interleaved, so a burst of load from elsewhere on the machine hits both alike.
                nginx_runs, plain_runs = [], []
                for _ in range(args.rounds):
                    nginx_runs.append(measure(nginx_url, paths, concurrency=args.concurrency, requests=args.requests))
                    plain_runs.append(measure(plain_url, paths, concurrency=args.concurrency, requests=args.requests))
                nginx = max(nginx_runs, key=lambda run: run["rps"])
                plain = max(plain_runs, key=lambda run: run["rps"])
            app = measure(app_url, paths, concurrency=args.concurrency, requests=args.requests)
        emit(
            {
                "bench": "segments",
                "concurrency": args.concurrency,
                "segments": len(paths),
                "segment_bytes_avg": round(sum(sizes) / len(sizes)),
                "rounds": args.rounds,
                "nginx": nginx,
                "plain_nginx": plain,
                "ratio_signed_over_plain": round(nginx["rps"] / plain["rps"], 3) if plain["rps"] else None,
                "app": app,
                "ratio_nginx_over_app": round(nginx["rps"] / app["rps"], 2) if app["rps"] else None,
            }
        )


if __name__ == "__main__":
    main()
