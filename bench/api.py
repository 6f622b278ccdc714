"""API throughput: the public event read and an admin list page vs a trivial endpoint of the same app.

Runs a real `golive serve` on SQLite and on a fresh PostgreSQL database; 100 concurrent keep-alive clients
send a fixed number of requests to each endpoint in the same run. Prints one JSON line.
Usage: .venv/bin/python bench/api.py [--requests 5000] [--concurrency 100]
"""

from __future__ import annotations

import argparse

import httpx

from _harness import emit, hey, server_on

PASSWORD = "bench-password-123"


def prepare(base_url: str, cli: object) -> tuple[str, dict[str, str]]:
    login = httpx.post(f"{base_url}/api/auth/login", json={"email": "bench@example.com", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    event_id = ""
    for n in range(40):
        event = {
            "title": f"Bench event {n}",
            "description": "A **benchmark** event with a [link](https://example.com).",
            "accessType": "form",
            "formFields": [{"name": "company", "label": "Company", "type": "text", "required": True}],
            "scheduledStart": f"2030-01-{n % 28 + 1:02d}T10:00:00Z",
        }
        event_id = httpx.post(f"{base_url}/api/events", json=event, headers=headers).json()["eventId"]
    # Visitors see published events only (a draft is a 404): the public read measures a scheduled one.
    published = httpx.post(f"{base_url}/api/events/{event_id}/transitions", json={"to": "scheduled"}, headers=headers)
    published.raise_for_status()
    return event_id, headers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument(
        "--public-cache-seconds", type=float, default=2.0, help="0 measures the public read without the micro-cache"
    )
    args = parser.parse_args()
    results: dict[str, object] = {
        "bench": "api",
        "requests": args.requests,
        "concurrency": args.concurrency,
        "public_cache_seconds": args.public_cache_seconds,
    }
    for database in ("sqlite", "postgresql"):
        with server_on(database, GOLIVE_PUBLIC_CACHE_SECONDS=str(args.public_cache_seconds)) as server:
            server.cli("admin", "create", "--email", "bench@example.com", "--password", PASSWORD)
            event_id, headers = prepare(server.base_url, server.cli)
            hey(f"{server.base_url}/livez", 500, 20)  # warm-up
            trivial = hey(f"{server.base_url}/livez", args.requests, args.concurrency)
            public = hey(f"{server.base_url}/api/events/{event_id}", args.requests, args.concurrency)
            admin_list = hey(f"{server.base_url}/api/events?limit=20", args.requests, args.concurrency, headers)
            results[database] = {
                "trivial": trivial,
                "public_event": {**public, "ratio_to_trivial": round(public["rps"] / trivial["rps"], 3)},
                "admin_list": {**admin_list, "ratio_to_trivial": round(admin_list["rps"] / trivial["rps"], 3)},
            }
    emit(results)


if __name__ == "__main__":
    main()
