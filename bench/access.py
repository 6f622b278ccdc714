"""The access decision: `decide` per call in process, and a viewer's playback request vs /livez.

For SQLite and a fresh PostgreSQL database (or only --database): a migrated database is filled with a
realistic number of grants (--guests browsers, each with a gate grant on a few of --events events, a third of
them paid, some refunds), then `access.decide` is timed call by call in this process (microseconds, p50/p99).
Then a real `golive serve` on the same database answers `GET /api/events/{id}/playback` for an entitled viewer
(the decision, the event and its ready video, the signed URLs) and `/livez`, both with `hey` in the same run;
`ratio_to_livez` compares like with like. Prints one JSON line.
Usage: .venv/bin/python bench/access.py [--calls 5000] [--guests 20000] [--events 200] [--requests 5000]
The previous main's playback, from its worktree: PYTHONPATH=bench .venv/bin/python <this file> --playback-only
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import insert, update

from _harness import emit, hey, server_on
from golive.events.models import AccessType, Event, EventStatus
from golive.media.models import AssetStatus, MediaAsset

try:
    from golive.platform.db import Database, new_id, utcnow
except ImportError:  # --playback-only on a tree from before the layout (the previous main)
    from golive.db import Database, new_id, utcnow  # type: ignore[no-redef]

PASSWORD = "bench-password-123"


def grant_rows(guests: int, events: int, rng: random.Random) -> list[dict[str, Any]]:
    """Each browser cleared the gate of 1-5 events; a third of those paid; one payment in twenty refunded."""
    from golive.access.grant_models import GrantSource, ScopeKind, SubjectKind

    now = utcnow()
    rows: list[dict[str, Any]] = []
    for guest in range(guests):
        for event in rng.sample(range(events), rng.randint(1, 5)):
            base = {
                "subject_kind": SubjectKind.GUEST.value,
                "subject_id": f"cv-{guest:08d}",
                "scope_kind": ScopeKind.EVENT.value,
                "scope_id": f"ev-{event:05d}",
                "valid_from": now - timedelta(days=1),
                "valid_until": None,
                "revoked_reason": None,
                "created_by": "system:bench",
                "created_at": now,
            }
            rows.append({**base, "grant_id": new_id(), "source": "gate", "source_id": "anonymous", "revoked_at": None})
            if rng.random() < 1 / 3:
                refunded = rng.random() < 0.05
                rows.append(
                    {
                        **base,
                        "grant_id": new_id(),
                        "source": GrantSource.PAYMENT.value,
                        "source_id": f"pay_{new_id()}",
                        "revoked_at": now if refunded else None,
                        "revoked_reason": "refunded" if refunded else None,
                    }
                )
    return rows


async def time_decide(url: str, calls: int, guests: int, events: int) -> dict[str, Any]:
    from golive.access.decide import Action, Subject, Target, decide
    from golive.access.grant_models import Grant, ScopeKind

    rng = random.Random(13)
    db = Database(url)
    try:
        rows = grant_rows(guests, events, rng)
        async with db.engine.begin() as connection:
            for start in range(0, len(rows), 1000):
                await connection.execute(insert(Grant), rows[start : start + 1000])
        latencies: list[float] = []
        async with db.sessionmaker() as session:
            for _ in range(calls):
                guest, event = rng.randrange(guests), rng.randrange(events)
                target = Target(
                    ScopeKind.EVENT, f"ev-{event:05d}", EventStatus.LIVE, AccessType.ANONYMOUS, event % 2 == 0
                )
                started = time.perf_counter()
                await decide(session, Subject(guest_id=f"cv-{guest:08d}"), target, Action.WATCH)
                latencies.append((time.perf_counter() - started) * 1e6)
                session.expunge_all()
        latencies.sort()
        return {
            "grants": len(rows),
            "calls": calls,
            "p50_us": round(statistics.median(latencies), 1),
            "p99_us": round(latencies[int(len(latencies) * 0.99) - 1], 1),
        }
    finally:
        await db.dispose()


async def make_playable(url: str, event_id: str) -> None:
    """The event's video is ready and the event has ended (its replay plays): no encoding needed to measure."""
    db = Database(url)
    try:
        async with db.engine.begin() as connection:
            await connection.execute(update(Event).where(Event.event_id == event_id).values(status=EventStatus.ENDED))
            now = utcnow()
            await connection.execute(
                insert(MediaAsset).values(
                    asset_id=new_id(),
                    event_id=event_id,
                    status=AssetStatus.READY,
                    progress=100.0,
                    source_filename="bench.mp4",
                    source_size=1,
                    source_path="bench/source",
                    source_probe={},
                    duration=60.0,
                    renditions=[],
                    master_playlist="master.m3u8",
                    attempts=0,
                    ready_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
    finally:
        await db.dispose()


def run_database(database: str, args: argparse.Namespace) -> dict[str, Any]:
    with server_on(database) as server:
        url = server.env["GOLIVE_DATABASE_URL"]
        decided = None if args.playback_only else asyncio.run(time_decide(url, args.calls, args.guests, args.events))
        server.cli("admin", "create", "--email", "bench@example.com", "--password", PASSWORD)
        login = httpx.post(
            f"{server.base_url}/api/auth/login", json={"email": "bench@example.com", "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        event = {"title": "Bench replay", "accessType": "anonymous", "scheduledStart": "2030-01-01T10:00:00Z"}
        event_id = httpx.post(f"{server.base_url}/api/events", json=event, headers=headers).json()["eventId"]
        httpx.post(
            f"{server.base_url}/api/events/{event_id}/transitions", json={"to": "scheduled"}, headers=headers
        ).raise_for_status()
        admitted = httpx.post(
            f"{server.base_url}/api/registrations", json={"eventId": event_id, "clientViewerId": "cv-bench-viewer"}
        ).json()
        asyncio.run(make_playable(url, event_id))
        viewer = {"Authorization": f"Bearer {admitted['token']}"}
        playback_url = f"{server.base_url}/api/events/{event_id}/playback"
        check = httpx.get(playback_url, headers=viewer)
        check.raise_for_status()
        hey(f"{server.base_url}/livez", 500, 20)  # warm-up
        hey(playback_url, 500, 20, viewer)
        livez = hey(f"{server.base_url}/livez", args.requests, args.concurrency)
        playback = hey(playback_url, args.requests, args.concurrency, viewer)
        return {
            "decide_in_process": decided,
            "livez": livez,
            "playback": {**playback, "ratio_to_livez": round(playback["rps"] / livez["rps"], 3)},
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--guests", type=int, default=20000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--playback-only", action="store_true", help="skip decide (measure a tree without it, e.g. the previous main)"
    )
    args = parser.parse_args()
    results: dict[str, Any] = {"bench": "access", "requests": args.requests, "concurrency": args.concurrency}
    for database in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        results[database] = run_database(database, args)
    emit(results)


if __name__ == "__main__":
    main()
