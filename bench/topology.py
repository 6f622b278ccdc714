"""Requests per second through nginx over both instances vs through nginx over one; one JSON line.

Starts deploy/topology.py's loopback topology (two `golive serve`, a worker, nginx, nginx-rtmp, Redis, a
fresh PostgreSQL database), and a second nginx rendered the same way whose upstream is the first instance
only. `hey` then sends the same public event read (micro-cache off, so every request reaches an instance
and the database) and the admin list through each nginx, in the same run, alternating.
Usage: .venv/bin/python bench/topology.py [--requests 4000] [--concurrency 100]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import httpx

from _harness import TOPOLOGY_OWNER as OWNER
from _harness import TOPOLOGY_PASSWORD as PASSWORD
from _harness import emit, hey, topology_module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2, help="both/one pairs; the best of each is reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="golive-bench-topology-") as temp:
        directory = Path(temp)
        topology = topology_module.start(directory, extra_env={"GOLIVE_PUBLIC_CACHE_SECONDS": "0"})
        try:
            topology_module.subprocess.run(
                [str(topology_module.BIN / "golive"), "admin", "create", "--email", OWNER, "--password", PASSWORD],
                env=topology.env,
                check=True,
                capture_output=True,
            )
            single_port = topology_module.free_port()
            single_conf, _ = topology_module.render_configs(
                directory / "single",
                apps=[f"127.0.0.1:{topology.app_ports[0]}"],
                listen=f"127.0.0.1:{single_port}",
                media_root=Path(topology.env["GOLIVE_DATA_DIR"]) / "media",
                secret_key=topology.env["GOLIVE_SECRET_KEY"],
                rtmp_listen=f"127.0.0.1:{topology_module.free_port()}",
                control_listen=f"127.0.0.1:{topology_module.free_port()}",
                hook_secret=topology.env["GOLIVE_INGEST_HOOK_SECRET"],
            )
            single = topology.spawn("nginx-single", topology_module.nginx_command(single_conf))
            single_url = f"http://127.0.0.1:{single_port}"
            topology_module.wait_until(lambda: topology_module.http_ok(f"{single_url}/livez"), "nginx", process=single)

            login = httpx.post(f"{topology.base_url}/api/auth/login", json={"email": OWNER, "password": PASSWORD})
            headers = {"Authorization": f"Bearer {login.json()['token']}"}
            created = httpx.post(
                f"{topology.base_url}/api/events", json={"title": "Bench", "eventType": "vod"}, headers=headers
            )
            event_id = created.json()["eventId"]
            base = topology.base_url
            for target in ("scheduled", "live"):
                httpx.post(f"{base}/api/events/{event_id}/transitions", json={"to": target}, headers=headers)
            for _ in range(10):  # more rows for the list page
                httpx.post(f"{base}/api/events", json={"title": "Row", "eventType": "vod"}, headers=headers)

            results: dict[str, object] = {"bench": "topology", "requests": args.requests}
            results["concurrency"] = args.concurrency
            for name, path, extra in (
                ("public_event", f"/api/events/{event_id}", None),
                ("admin_list", "/api/events?limit=20", headers),
            ):
                hey(f"{topology.base_url}{path}", 300, 20, extra)  # warm-up, both instances
                both_runs, one_runs = [], []
                for _ in range(args.rounds):
                    both_runs.append(hey(f"{topology.base_url}{path}", args.requests, args.concurrency, extra))
                    one_runs.append(hey(f"{single_url}{path}", args.requests, args.concurrency, extra))
                both = max(both_runs, key=lambda run: float(run["rps"]))
                one = max(one_runs, key=lambda run: float(run["rps"]))
                ratio = round(both["rps"] / one["rps"], 2) if one["rps"] else None
                results[name] = {"two_instances": both, "one_instance": one, "ratio_two_over_one": ratio}
        finally:
            topology.stop()
    emit(results)


if __name__ == "__main__":
    main()
