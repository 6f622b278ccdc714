"""The viewer site's reads: GET /api/home (the home page's sections over --events published events, 12 featured),
GET /api/settings (every page's brand) and an account's bell (GET /api/account/notifications, first page of
--notifications), against /livez in the same run, on SQLite and on a fresh PostgreSQL database. One JSON line.

Usage: .venv/bin/python bench/home_page.py [--events 120] [--notifications 500] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx

from _harness import emit, server_on
from accounts import PASSWORD, UNTHROTTLED, codes_mailed
from admission import drive, open_event
from golive.notify import service
from golive.notify.models import NotificationType
from golive.notify.service import NewNotification
from golive.platform.db import Database

ADMIN_PASSWORD = "bench-password-123"


async def fill_bell(database_url: str, account_id: str, count: int) -> None:
    """`count` notifications, written as the reminders sweep writes them."""
    db = Database(database_url)
    try:
        async with db.sessionmaker() as session:
            for n in range(count):
                note = NewNotification(
                    NotificationType.EVENT_LIVE, f"Show {n} is live now", link="/e/x", dedupe_key=f"b{n}"
                )
                await service.notify(session, account_id, note)
            await session.commit()
    finally:
        await db.dispose()


def run_database(
    database: str, events: int, notifications: int, concurrency: int, driver: ProcessPoolExecutor
) -> dict[str, Any]:
    with server_on(database, **UNTHROTTLED) as server:
        base = server.base_url
        server.cli("admin", "create", "--email", "bench@example.com", "--password", ADMIN_PASSWORD)
        login = httpx.post(f"{base}/api/auth/login", json={"email": "bench@example.com", "password": ADMIN_PASSWORD})
        admin = {"Authorization": f"Bearer {login.json()['token']}"}

        def run(path: str, requests: int, headers: dict[str, str] | None = None, clients: int = concurrency) -> Any:
            return driver.submit(drive, f"{base}{path}", [None] * requests, clients, headers).result()

        ids = []
        for n in range(events):
            kind = ("live", "vod", "upcoming")[n % 3]
            if kind == "upcoming":
                event = httpx.post(
                    f"{base}/api/events",
                    json={"title": f"Soon {n}", "eventType": "live", "scheduledStart": "2031-01-01T18:00:00Z"},
                    headers=admin,
                ).json()
                httpx.post(f"{base}/api/events/{event['eventId']}/transitions", json={"to": "scheduled"}, headers=admin)
                ids.append(event["eventId"])
            else:
                ids.append(open_event(base, admin, title=f"{kind} {n}", eventType=kind))
        featured = httpx.put(
            f"{base}/api/settings",
            json={"platformName": "Bench TV", "heroTitle": "Tonight", "featuredEventIds": ids[:12]},
            headers=admin,
        )
        assert featured.status_code == 200, featured.text
        home = httpx.get(f"{base}/api/home").json()
        shown = {name: len(cards) for name, cards in home.items()}

        email = "bell@example.com"
        httpx.post(f"{base}/api/account/signup", json={"email": email, "password": PASSWORD})
        code = codes_mailed(base, admin, "account_verify")[email]
        token = httpx.post(f"{base}/api/account/verify", json={"email": email, "code": code}).json()["token"]
        holder = {"Authorization": f"Bearer {token}"}
        account_id = httpx.get(f"{base}/api/account", headers=holder).json()["accountId"]
        asyncio.run(fill_bell(server.env["GOLIVE_DATABASE_URL"], account_id, notifications))

        run("/livez", 500)  # warm-up
        trivial = run("/livez", 3000)
        figures = {
            "settings": run("/api/settings", 3000),
            "home": run("/api/home", 1000),
            "home_one_client": run("/api/home", 300, clients=1),
            "bell_first_page": run("/api/account/notifications?limit=20", 1000, holder),
        }
        return {
            "sections": shown,
            "livez": trivial,
            **{name: {**f, "ratio_to_livez": round(f["rps"] / trivial["rps"], 4)} for name, f in figures.items()},
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=120)
    parser.add_argument("--notifications", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    results: dict[str, Any] = {"bench": "home_page", "events": args.events, "notifications": args.notifications}
    with ProcessPoolExecutor(max_workers=1) as driver:
        for database in ("sqlite", "postgresql"):
            results[database] = run_database(database, args.events, args.notifications, args.concurrency, driver)
    emit(results)


if __name__ == "__main__":
    main()
