"""Webhook throughput: signed provider events through POST /api/webhooks/local, with replays mixed in.

Runs a real `golive serve` on SQLite and on a fresh PostgreSQL database. Every paid viewer's checkout
gets one checkout.session.completed; a share of them is sent again (the same event id, a replay) and a
share also gets checkout.session.async_payment_succeeded (a new event id for the same payment). 50
senders (aiohttp, keep-alive, in a separate process) post them in shuffled order. Every request goes
through the full path: Stripe-scheme signature check (stripe library), idempotency claim, conditional
transition, viewer update, and for each first success the charge lookup and the receipt email (outbox).

Prints one JSON line: events/s, latency p50/p99, and `duplicate_transitions` (transitions beyond one per
payment, counted from the answers and from the receipts in the database; must be 0).
Usage: .venv/bin/python bench/webhooks.py [--payments 1500] [--concurrency 50] [--replays 0.5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import aiohttp
import httpx
import stripe
from sqlalchemy import func, select

from _harness import emit, server_on
from golive.commerce.local.provider import webhook_secret_from
from golive.email.models import EmailMessage
from golive.platform.db import make_engine
from golive.platform.tokens import TokenSigner

PASSWORD = "bench-password-123"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


async def _post_all(url: str, bodies: list[bytes], concurrency: int) -> list[tuple[int, float, str]]:
    """(status, latency ms, answer) of every body, `concurrency` in flight. A body made by `envelope`
    carries its own Stripe-Signature header, one made by `as_viewer` a viewer token; an empty body is a GET."""
    results: list[tuple[int, float, str]] = []
    queue = iter(bodies)

    async def worker(http: aiohttp.ClientSession) -> None:
        for body in queue:
            headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
            if body.startswith(b'{"sig"'):
                wrapped = json.loads(body)
                body, headers["Stripe-Signature"] = wrapped["body"].encode(), wrapped["sig"]
            elif body.startswith(b'{"bearer"'):
                wrapped = json.loads(body)
                body, headers["Authorization"] = b"{}", f"Bearer {wrapped['bearer']}"
            started = time.perf_counter()
            request = http.post(url, data=body, headers=headers) if body else http.get(url)
            async with request as response:
                answer = await response.text()
            results.append((response.status, (time.perf_counter() - started) * 1000, answer))

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    return results


def post_all(url: str, bodies: list[bytes], concurrency: int) -> tuple[list[tuple[int, float, str]], float]:
    started = time.perf_counter()
    results = asyncio.run(_post_all(url, bodies, concurrency))
    return results, time.perf_counter() - started


def as_viewer(token: str) -> bytes:
    """A viewer's "Pay": an empty body sent with their viewer token."""
    return json.dumps({"bearer": token}).encode()


def envelope(event: dict[str, Any], secret: str) -> bytes:
    """The driver signs nothing itself: each delivery is pre-signed here (the signature stays fresh for 5 min)."""
    body = json.dumps(event, separators=(",", ":"))
    return json.dumps({"sig": stripe.WebhookSignature.generate_signature_header(body, secret), "body": body}).encode()


def completed(payment: dict[str, Any], event_type: str = "checkout.session.completed") -> dict[str, Any]:
    return {
        "id": f"evt_bench_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": stripe.api_version,
        "created": int(time.time()),
        "type": event_type,
        "livemode": False,
        "data": {
            "object": {
                "id": payment["sessionId"],
                "object": "checkout.session",
                "amount_total": payment["amount"],
                "currency": payment["currency"].lower(),
                "client_reference_id": payment["paymentId"],
                "customer_details": {"email": f"{payment['viewerId'].lower()}@bench.example"},
                "metadata": {"paymentId": payment["paymentId"]},
                "mode": "payment",
                "payment_intent": f"pi_bench_{payment['paymentId'][-16:]}",
                "payment_status": "paid",
                "status": "complete",
            }
        },
    }


async def receipts_per_payment(database_url: str) -> int:
    """The most receipt emails any one viewer got (exactly one per settled payment is right)."""
    engine = make_engine(database_url)
    async with engine.connect() as connection:
        most = await connection.scalar(
            select(func.count())
            .select_from(EmailMessage)
            .where(EmailMessage.email_type == "payment_receipt")
            .group_by(EmailMessage.viewer_id)
            .order_by(func.count().desc())
            .limit(1)
        )
    await engine.dispose()
    return int(most or 0)


def run_database(
    database: str, payments: int, concurrency: int, replays: float, driver: ProcessPoolExecutor
) -> dict[str, Any]:
    with server_on(database) as server:
        server.cli("admin", "create", "--email", "bench@example.com", "--password", PASSWORD)
        base = server.base_url
        login = httpx.post(f"{base}/api/auth/login", json={"email": "bench@example.com", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        event = httpx.post(
            f"{base}/api/events",
            json={"title": "Bench paid", "isPaidEvent": True, "priceAmount": 1200, "currency": "USD"},
            headers=headers,
        ).json()
        for target in ("scheduled", "live"):
            httpx.post(f"{base}/api/events/{event['eventId']}/transitions", json={"to": target}, headers=headers)

        # Every viewer is admitted and presses "Pay" (a pending payment): what the webhooks will settle.
        admissions = [
            json.dumps(
                {"eventId": event["eventId"], "clientViewerId": f"bench-{n:06d}-{secrets.token_hex(4)}"}
            ).encode()
            for n in range(payments)
        ]
        opened, _ = driver.submit(post_all, f"{base}/api/registrations", admissions, concurrency).result()
        assert all(status == 200 for status, _, _ in opened), {s for s, _, _ in opened}
        tokens = [json.loads(text)["token"] for _, _, text in opened]
        checkout_url = f"{base}/api/events/{event['eventId']}/checkout"
        started, _ = driver.submit(post_all, checkout_url, [as_viewer(t) for t in tokens], concurrency).result()
        assert all(status == 200 for status, _, _ in started), {s for s, _, _ in started}
        # The provider's session id is the last part of the checkout URL (the report does not show it).
        sessions = {}
        for _, _, text in started:
            answer = json.loads(text)
            sessions[answer["paymentId"]] = answer["checkoutUrl"].rsplit("/", 1)[1]
        ledger: list[dict[str, Any]] = []
        for offset in range(0, payments, 100):
            page = httpx.get(
                f"{base}/api/payments",
                params={"eventId": event["eventId"], "limit": 100, "offset": offset},
                headers=headers,
            ).json()
            ledger += page["items"]
        for payment in ledger:
            payment["sessionId"] = sessions[payment["paymentId"]]

        secret = webhook_secret_from(TokenSigner(server.env["GOLIVE_SECRET_KEY"]))
        rng = random.Random(7)
        deliveries: list[bytes] = []
        replayed = other_ids = 0
        for payment in ledger:
            first = envelope(completed(payment), secret)
            deliveries.append(first)
            if rng.random() < replays:  # the provider retries the same event (same id)
                copies = rng.randint(1, 3)
                deliveries += [first] * copies
                replayed += copies
            if rng.random() < replays / 2:  # another event id saying the same (idempotent on the payment)
                deliveries.append(envelope(completed(payment, "checkout.session.async_payment_succeeded"), secret))
                other_ids += 1
        rng.shuffle(deliveries)

        # the same driver against a trivial endpoint, to read the figures on a busy machine
        trivial, trivial_wall = driver.submit(post_all, f"{base}/livez", [b""] * 2000, concurrency).result()
        results, wall = driver.submit(post_all, f"{base}/api/webhooks/local", deliveries, concurrency).result()
        latencies = sorted(ms for _, ms, _ in results)
        statuses: dict[str, int] = {}
        outcomes: dict[str, int] = {}
        for status, _, text in results:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            outcome = str(json.loads(text).get("outcome")) if status == 200 else f"http_{status}"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        settled = httpx.get(
            f"{base}/api/payments",
            params={"eventId": event["eventId"], "status": "succeeded", "limit": 1},
            headers=headers,
        ).json()["total"]
        most_receipts = asyncio.run(receipts_per_payment(server.env["GOLIVE_DATABASE_URL"]))
        return {
            "payments": len(ledger),
            "deliveries": len(deliveries),
            "replays_same_id": replayed,
            "same_payment_other_id": other_ids,
            "events_per_s": round(len(deliveries) / wall, 1),
            "livez_rps_same_driver": round(len(trivial) / trivial_wall, 1),
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
            "statuses": statuses,
            "outcomes": outcomes,
            "payments_succeeded": settled,
            "duplicate_transitions": outcomes.get("applied", 0) - settled + max(0, most_receipts - 1),
            "max_receipts_per_payment": most_receipts,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--replays", type=float, default=0.5, help="share of events delivered more than once")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "bench": "webhooks",
        "payments": args.payments,
        "concurrency": args.concurrency,
        "signature_checks": "stripe.Webhook.construct_event on every request",
    }
    with ProcessPoolExecutor(max_workers=1) as driver:
        for database in ("sqlite", "postgresql"):
            results[database] = run_database(database, args.payments, args.concurrency, args.replays, driver)
    emit(results)


if __name__ == "__main__":
    main()
