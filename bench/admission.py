"""Viewer admission throughput: new viewers (anonymous and form events) and returning ones vs /livez.

Runs a real `golive serve` on SQLite and on a fresh PostgreSQL database. `hey` sends one body for every
request, so new viewers (each with its own clientViewerId) come from a small load driver instead: aiohttp
with keep-alive connections, in a separate process so it does not share the server's CPU core. /livez is
measured with the same driver in the same run, so the ratio compares like with like. Prints one JSON line.
Usage: .venv/bin/python bench/admission.py [--viewers 3000] [--concurrency 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import aiohttp
import httpx

from _harness import emit, server_on

PASSWORD = "bench-password-123"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
FORM_FIELDS = [
    {"name": "name", "label": "Name", "type": "text", "required": True},
    {"name": "email", "label": "Email", "type": "email", "required": True},
    {"name": "plan", "label": "Plan", "type": "select", "options": ["Free", "Pro"]},
]


async def _drive(
    url: str, bodies: list[bytes | None], concurrency: int, extra_headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """Sends every body (None: a GET) with `concurrency` requests in flight; latency per request."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    queue = iter(bodies)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **(extra_headers or {})}

    async def worker(http: aiohttp.ClientSession) -> None:
        for body in queue:
            started = time.perf_counter()
            if body is None:
                response = await http.get(url, headers=headers)
            else:
                response = await http.post(url, data=body, headers=headers)
            await response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / wall, 1),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "statuses": statuses,
    }


def drive(
    url: str, bodies: list[bytes | None], concurrency: int, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return asyncio.run(_drive(url, bodies, concurrency, headers))


def open_event(base_url: str, headers: dict[str, str], **fields: Any) -> str:
    event = httpx.post(f"{base_url}/api/events", json={"title": "Bench", **fields}, headers=headers).json()
    for target in ("scheduled", "live"):
        httpx.post(f"{base_url}/api/events/{event['eventId']}/transitions", json={"to": target}, headers=headers)
    return str(event["eventId"])


def registration(event_id: str, client_viewer_id: str, **extra: Any) -> bytes:
    return json.dumps({"eventId": event_id, "clientViewerId": client_viewer_id, **extra}).encode()


def run_database(database: str, viewers: int, concurrency: int, driver: ProcessPoolExecutor) -> dict[str, Any]:
    with server_on(database) as server:
        server.cli("admin", "create", "--email", "bench@example.com", "--password", PASSWORD)
        login = httpx.post(
            f"{server.base_url}/api/auth/login", json={"email": "bench@example.com", "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        anonymous = open_event(server.base_url, headers)
        form = open_event(server.base_url, headers, accessType="form", formFields=FORM_FIELDS)
        admit_url = f"{server.base_url}/api/registrations"

        def run(url: str, bodies: list[bytes | None]) -> dict[str, Any]:
            return driver.submit(drive, url, bodies, concurrency).result()

        run(f"{server.base_url}/livez", [None] * 1000)  # warm-up: connections, caches
        run(admit_url, [registration(anonymous, f"warm-{n:06d}") for n in range(500)])
        trivial = run(f"{server.base_url}/livez", [None] * viewers)

        anonymous_ids = [f"anon-{secrets.token_hex(8)}" for _ in range(viewers)]
        form_ids = [f"form-{secrets.token_hex(8)}" for _ in range(viewers)]
        new_anonymous = run(admit_url, [registration(anonymous, cid) for cid in anonymous_ids])
        new_form = run(
            admit_url,
            [
                registration(form, cid, formData={"name": f"Viewer {n}", "email": f"v{n}@example.com", "plan": "Pro"})
                for n, cid in enumerate(form_ids)
            ],
        )
        returning = run(admit_url, [registration(form, cid) for cid in form_ids])
        figures = {"new_anonymous": new_anonymous, "new_form": new_form, "returning_form": returning}
        return {
            "livez": trivial,
            **{name: {**f, "ratio_to_livez": round(f["rps"] / trivial["rps"], 3)} for name, f in figures.items()},
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args()
    results: dict[str, Any] = {"bench": "admission", "viewers": args.viewers, "concurrency": args.concurrency}
    with ProcessPoolExecutor(max_workers=1) as driver:
        for database in ("sqlite", "postgresql"):
            results[database] = run_database(database, args.viewers, args.concurrency, driver)
    emit(results)


if __name__ == "__main__":
    main()
