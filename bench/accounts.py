"""Account sign-ins per second: with a password (argon2-bound) and with an emailed code (passwordless), against
/livez in the same run, and GET /api/account/library for an account with one grant on each of --library events
(its first page and its last), on SQLite and on a fresh PostgreSQL database. Prints one JSON line.

The throttles are lifted for the run (one address is signed in to many times, from one network). Codes are read
back from the email log (the outbox), as an operator could.
Usage: .venv/bin/python bench/accounts.py [--accounts 200] [--signins 400] [--concurrency 20] [--library 500]
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx

from _harness import code_in, emit, server_on
from admission import drive, open_event, registration
from golive.platform.passwords import PASSWORD_HASH_PROFILES

ADMIN_PASSWORD = "bench-password-123"
PASSWORD = "a quiet lantern by the harbour"
UNTHROTTLED = {
    "GOLIVE_LOGIN_MAX_FAILURES": "1000000",
    "GOLIVE_LOGIN_MAX_ATTEMPTS_PER_IP": "1000000",
    "GOLIVE_EMAIL_CODE_MAX_REQUESTS": "1000000",
    "GOLIVE_EMAIL_CODE_MAX_REQUESTS_PER_IP": "1000000",
    "GOLIVE_PASSWORD_HASH_PROFILE": "default",  # production argon2, not the test suite's cheap one
}


def codes_mailed(base_url: str, headers: dict[str, str], email_type: str) -> dict[str, str]:
    """The newest code of each address in the email log."""
    found: dict[str, str] = {}
    offset = 0
    while True:
        page = httpx.get(
            f"{base_url}/api/emails",
            params={"type": email_type, "limit": 100, "offset": offset},
            headers=headers,
            timeout=30,
        ).json()
        for item in page["items"]:  # newest first
            found.setdefault(item["recipientEmail"], code_in(item["bodyText"]))
        offset += 100
        if offset >= page["total"]:
            return found


def body(**fields: str) -> bytes:
    return json.dumps(fields).encode()


def run_database(
    database: str, accounts: int, signins: int, concurrency: int, library: int, driver: ProcessPoolExecutor
) -> dict[str, Any]:
    with server_on(database, **UNTHROTTLED) as server:
        base = server.base_url
        server.cli("admin", "create", "--email", "bench@example.com", "--password", ADMIN_PASSWORD)
        login = httpx.post(f"{base}/api/auth/login", json={"email": "bench@example.com", "password": ADMIN_PASSWORD})
        admin = {"Authorization": f"Bearer {login.json()['token']}"}

        def run(path: str, bodies: list[bytes | None], headers: dict[str, str] | None = None) -> dict[str, Any]:
            return driver.submit(drive, f"{base}{path}", bodies, concurrency, headers).result()

        emails = [f"reader{n:05d}@example.com" for n in range(accounts)]
        run("/api/account/signup", [body(email=email, password=PASSWORD) for email in emails])
        verify_codes = codes_mailed(base, admin, "account_verify")
        run("/api/account/verify", [body(email=email, code=verify_codes[email]) for email in emails])

        run("/livez", [None] * 500)  # warm-up
        trivial = run("/livez", [None] * 3000)
        by_password = run(
            "/api/account/login", [body(email=emails[n % accounts], password=PASSWORD) for n in range(signins)]
        )
        run("/api/account/login-code", [body(email=email) for email in emails])
        login_codes = codes_mailed(base, admin, "account_login_code")
        by_code = run("/api/account/login", [body(email=email, code=login_codes[email]) for email in emails])
        figures = {"password_signin": by_password, "code_signin": by_code}

        # one account that holds a grant on each of `library` events (admitted signed in to each)
        signed = httpx.post(f"{base}/api/account/login", json={"email": emails[0], "password": PASSWORD}).json()
        holder = {"Authorization": f"Bearer {signed['token']}"}
        events = [open_event(base, admin) for _ in range(library)]
        run("/api/registrations", [registration(event_id, "bench-library-browser") for event_id in events], holder)
        shelf = httpx.get(f"{base}/api/account/library", params={"limit": 1}, headers=holder).json()
        assert shelf["total"] == library, shelf
        first = run("/api/account/library?limit=24", [None] * 2000, holder)
        last = run(f"/api/account/library?limit=24&offset={max(library - 24, 0)}", [None] * 2000, holder)
        # one client alone: a page's own latency, without 19 others queued ahead of it
        alone = driver.submit(drive, f"{base}/api/account/library?limit=24", [None] * 300, 1, holder).result()
        return {
            "livez": trivial,
            **{name: {**f, "ratio_to_livez": round(f["rps"] / trivial["rps"], 4)} for name, f in figures.items()},
            "library": {"grants": library, "first_page": first, "last_page": last, "first_page_one_client": alone},
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--signins", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--library", type=int, default=500, help="events the library's account holds a grant on")
    args = parser.parse_args()
    argon2 = PASSWORD_HASH_PROFILES["default"]
    results: dict[str, Any] = {
        "bench": "accounts",
        "argon2": {
            "type": argon2.type.name.lower(),
            "time_cost": argon2.time_cost,
            "memory_cost_kib": argon2.memory_cost,
            "parallelism": argon2.parallelism,
        },
        "accounts": args.accounts,
        "concurrency": args.concurrency,
    }
    with ProcessPoolExecutor(max_workers=1) as driver:
        for database in ("sqlite", "postgresql"):
            results[database] = run_database(
                database, args.accounts, args.signins, args.concurrency, args.library, driver
            )
    emit(results)


if __name__ == "__main__":
    main()
