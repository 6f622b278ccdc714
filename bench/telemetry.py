"""Telemetry ingestion and the analytics read, on a real server and a fresh PostgreSQL database.

1. Ingestion: 1,000 simulated viewers, each with an open playback session, send heartbeats for --seconds
   from a separate load process (asyncio + aiohttp, one keep-alive connection per viewer): 90% batch
   --batch events every --batch-interval s, 10% send single events every --single-interval s. Reports
   events/s accepted, p99 latency, database commits/s (pg_stat_database.xact_commit delta) and the load
   process's CPU. `hey` then measures the events endpoint (single events) against /livez in the same run.
2. The analytics read: 1,000,000 raw events in 20,000 sessions of one event are COPYed in, then
   GET /api/analytics/{eventId} is timed over 20 calls.

Prints one JSON line. Usage: .venv/bin/python bench/telemetry.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

from _harness import emit, hey, server_on
from golive.platform.db import new_id

PASSWORD = "bench-password-123"
VIEWERS = 1000
STORED_EVENTS = 1_000_000
STORED_SESSIONS = 20_000
WARM_UP_SECONDS = 5.0


# --- the load process ---------------------------------------------------------------------------


async def _viewer(
    session: Any,
    url: str,
    token: str,
    batch: int,
    interval: float,
    window: tuple[float, float],
    latencies: list[float],
) -> int:
    """Sends until the window's end; counts and times only requests started inside it (after the
    warm-up, when every viewer's connection is open)."""
    import aiohttp

    accepted = 0
    opened = time.monotonic()
    await asyncio.sleep(random.uniform(0, interval))  # spread the viewers over the interval
    headers = {"Authorization": f"Bearer {token}"}
    measure_from, until = window
    while time.perf_counter() < until:
        played = round(time.monotonic() - opened, 3)
        events = [
            {
                "type": "heartbeat",
                "position": played,
                "played": played,
                "rendition": "720p",
                "bitrateKbps": 2800,
                "bufferSeconds": 18.0,
            }
        ] * batch
        started = time.perf_counter()
        try:
            async with session.post(url, json={"events": events}, headers=headers) as response:
                await response.read()
                if response.status == 202 and started >= measure_from:
                    accepted += batch
                    latencies.append((time.perf_counter() - started) * 1000)
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))
    return accepted


async def _load(config: dict[str, Any]) -> dict[str, Any]:
    import aiohttp

    measure_from = time.perf_counter() + WARM_UP_SECONDS
    window = (measure_from, measure_from + config["seconds"])
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(base_url=config["base_url"], connector=connector) as session:
        tasks = []
        for index, (session_id, token) in enumerate(config["sessions"]):
            single = index % 10 == 0
            tasks.append(
                _viewer(
                    session,
                    f"/api/playback/sessions/{session_id}/events",
                    token,
                    1 if single else config["batch"],
                    config["single_interval"] if single else config["batch_interval"],
                    window,
                    latencies,
                )
            )
        accepted = sum(await asyncio.gather(*tasks))
    latencies.sort()
    return {
        "events_accepted": accepted,
        "requests": len(latencies),
        "wall_seconds": config["seconds"],
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2) if latencies else None,
    }


def load_process_main() -> None:
    config = json.loads(sys.stdin.read())
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(_load(config))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["client_cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)
    print(json.dumps(result))


# --- setup and measurement ------------------------------------------------------------------------


def _admin(base_url: str) -> dict[str, str]:
    login = httpx.post(f"{base_url}/api/auth/login", json={"email": "bench@example.com", "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['token']}"}


def _live_event(base_url: str, admin: dict[str, str], title: str) -> str:
    event_id: str = httpx.post(
        f"{base_url}/api/events", json={"title": title, "eventType": "live"}, headers=admin
    ).json()["eventId"]
    for target in ("scheduled", "live"):
        httpx.post(f"{base_url}/api/events/{event_id}/transitions", json={"to": target}, headers=admin)
    return event_id


async def _open_sessions(base_url: str, event_id: str, count: int) -> list[tuple[str, str]]:
    limits = asyncio.Semaphore(50)
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:

        async def one(n: int) -> tuple[str, str]:
            async with limits:
                reg = await http.post(
                    "/api/registrations", json={"eventId": event_id, "clientViewerId": f"cv-bench-{n:06d}"}
                )
                token = reg.json()["token"]
                opened = await http.post(
                    "/api/playback/sessions", json={"eventId": event_id}, headers={"Authorization": f"Bearer {token}"}
                )
                return opened.json()["sessionId"], token

        return list(await asyncio.gather(*(one(n) for n in range(count))))


def _commits(dsn: str, database: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", (database,)).fetchone()
    return int(row[0]) if row else 0


def _ingest(
    base_url: str, sessions: list[tuple[str, str]], args: argparse.Namespace, dsn: str, database: str
) -> dict[str, Any]:
    config = {
        "base_url": base_url,
        "sessions": sessions,
        "seconds": args.seconds,
        "batch": args.batch,
        "batch_interval": args.batch_interval,
        "single_interval": args.single_interval,
    }
    time.sleep(1.5)  # let the setup's commits settle into the statistics
    commits_before = _commits(dsn, database)
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, __file__, "--load-process"],
        input=json.dumps(config),
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.monotonic() - started
    time.sleep(1.5)  # the last flush, and the backends' statistics
    commits = _commits(dsn, database) - commits_before
    result: dict[str, Any] = json.loads(process.stdout)
    result["events_per_second"] = round(result["events_accepted"] / result["wall_seconds"], 1)
    result["db_commits_per_second"] = round(commits / elapsed, 1)
    return result


def _store_events(dsn: str, event_id: str) -> None:
    """20,000 sessions of 6,000 viewers over three hours, 50 raw events each, written with COPY."""
    rng = random.Random(7)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=4)
    devices = [
        ("desktop", "Chrome", "Windows"),
        ("desktop", "Firefox", "Linux"),
        ("mobile", "Mobile Safari", "iOS"),
        ("mobile", "Chrome Mobile", "Android"),
        ("tablet", "Mobile Safari", "iOS"),
        ("tv", "Other", "Tizen"),
    ]
    countries = ["NL", "DE", "US", "GB", "FR", "BR", "IN", "JP", None]
    renditions = ["1080p", "720p", "480p", "360p"]
    viewers = [new_id() for _ in range(6000)]
    per_session = STORED_EVENTS // STORED_SESSIONS
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY viewers (viewer_id, event_id, client_viewer_id, access_mode, form_data, access_verified, "
            "device_type, first_join_at, last_join_at, total_sessions, total_watch_time, created_at) FROM STDIN"
        ) as copy:
            for n, viewer_id in enumerate(viewers):
                copy.write_row(
                    (
                        viewer_id,
                        event_id,
                        f"cv-stored-{n}",
                        "anonymous",
                        "{}",
                        True,
                        "desktop",
                        start,
                        start,
                        3,
                        600,
                        start,
                    )
                )
        sessions = []
        with cur.copy(
            "COPY playback_sessions (session_id, event_id, viewer_id, start_time, end_time, end_reason, duration, "
            "playback_type, ip_address, device_info, location, device_type, browser, os, country, rendition, "
            "bitrate_kbps, startup_ms, rebuffer_count, rebuffer_ms, error_count, fatal_error, rendition_switches, "
            "finished, last_position, max_position, last_heartbeat_at, created_at) FROM STDIN"
        ) as copy:
            for _ in range(STORED_SESSIONS):
                session_id = new_id()
                began = start + timedelta(seconds=rng.uniform(0, 3 * 3600))
                watched = rng.randint(10, 3600)
                ended = began + timedelta(seconds=watched)
                device, browser, os_name = rng.choice(devices)
                country = rng.choice(countries)
                sessions.append((session_id, began, watched))
                copy.write_row(
                    (
                        session_id,
                        event_id,
                        rng.choice(viewers),
                        began,
                        ended,
                        "stopped",
                        watched,
                        "live",
                        "198.51.100.7",
                        json.dumps({"browser": browser}),
                        json.dumps({"country": country}),
                        device,
                        browser,
                        os_name,
                        country,
                        rng.choice(renditions),
                        2800,
                        rng.randint(300, 6000),
                        rng.randint(0, 3),
                        rng.randint(0, 8000),
                        0,
                        rng.random() < 0.02,
                        rng.randint(0, 4),
                        False,
                        float(watched),
                        float(watched),
                        ended,
                        began,
                    )
                )
        with cur.copy(
            "COPY playback_events (session_id, event_id, event_type, received_at, position, played, rendition, "
            "bitrate_kbps, buffer_seconds) FROM STDIN"
        ) as copy:
            for session_id, began, watched in sessions:
                for n in range(per_session):
                    offset = watched * n / per_session
                    copy.write_row(
                        (
                            session_id,
                            event_id,
                            "heartbeat",
                            began + timedelta(seconds=offset),
                            offset,
                            offset,
                            "720p",
                            2800,
                            15.0,
                        )
                    )
        conn.commit()
        cur.execute("ANALYZE")


def _time_reads(base_url: str, admin: dict[str, str], event_id: str, calls: int = 20) -> dict[str, Any]:
    timings = []
    with httpx.Client(base_url=base_url, headers=admin, timeout=60) as http:
        http.get(f"/api/analytics/{event_id}")  # warm-up
        for _ in range(calls):
            started = time.perf_counter()
            response = http.get(f"/api/analytics/{event_id}")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
        views = response.json()["views"]
    timings.sort()
    return {
        "calls": calls,
        "p50_ms": round(statistics.median(timings), 1),
        "max_ms": round(timings[-1], 1),
        "views": views,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--batch-interval", type=float, default=1.5)
    parser.add_argument("--single-interval", type=float, default=0.5)
    parser.add_argument("--hey-requests", type=int, default=20000)
    parser.add_argument("--load-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_process:
        load_process_main()
        return

    results: dict[str, Any] = {"bench": "telemetry", "database": "postgresql", "viewers": VIEWERS}
    with server_on("postgresql") as server:
        url = make_url(server.env["GOLIVE_DATABASE_URL"])
        database = url.database or ""
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        server.cli("admin", "create", "--email", "bench@example.com", "--password", PASSWORD)
        admin = _admin(server.base_url)
        event_id = _live_event(server.base_url, admin, "Telemetry bench")
        sessions = asyncio.run(_open_sessions(server.base_url, event_id, VIEWERS))
        results["ingest"] = {"seconds": args.seconds, **_ingest(server.base_url, sessions, args, dsn, database)}

        session_id, token = sessions[0]
        single = json.dumps({"events": [{"type": "heartbeat", "position": 1, "played": 1, "bufferSeconds": 9.0}]})
        hey(f"{server.base_url}/livez", 1000, 50)  # warm-up
        trivial = hey(f"{server.base_url}/livez", args.hey_requests, 100)
        events = hey(
            f"{server.base_url}/api/playback/sessions/{session_id}/events",
            args.hey_requests,
            100,
            headers={"Authorization": f"Bearer {token}"},
            method="POST",
            body=single,
        )
        results["events_endpoint_vs_livez"] = {
            "livez_rps": trivial["rps"],
            "events_rps": events["rps"],
            "events_p99_ms": events["p99_ms"],
            "statuses": events["statuses"],
            "ratio_to_trivial": round(events["rps"] / trivial["rps"], 3),
        }

        stored_event = _live_event(server.base_url, admin, "Analytics bench")
        started = time.monotonic()
        _store_events(dsn, stored_event)
        results["analytics_read"] = {
            "stored_events": STORED_EVENTS,
            "stored_sessions": STORED_SESSIONS,
            "load_seconds": round(time.monotonic() - started, 1),
            **_time_reads(server.base_url, admin, stored_event),
        }
    emit(results)


if __name__ == "__main__":
    main()
