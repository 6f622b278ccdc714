"""The chat's fan-out: one host posts --messages messages as fast as the room takes them while --listeners viewers
read over real WebSockets; against a plain `websockets` broadcast server (no database, no decision: the ceiling of
fan-out in Python on this machine) in the same run. Then a lively room (20 viewers posting a message a second each,
for --seconds: the time a message takes to reach a listener), and a reaction crowd: every listener taps 5 reactions
a second for --seconds, and each listener counts the frames it got. On SQLite and on a fresh PostgreSQL database.
One JSON line.

Usage: .venv/bin/python bench/chat.py [--listeners 200] [--messages 300] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import time
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import broadcast, serve

from _harness import emit, free_port, server_on
from admission import open_event

PASSWORD = "bench-password-123"
TEXT = "x" * 120  # a chat line's length


def _baseline_server(port: int) -> None:
    """Every frame a client sends goes to every client: what a chat's fan-out costs with nothing else."""

    async def main() -> None:
        clients: set[Any] = set()

        async def handler(socket: Any) -> None:
            clients.add(socket)
            try:
                async for frame in socket:
                    broadcast(clients, frame)
            finally:
                clients.discard(socket)

        async with serve(handler, "127.0.0.1", port):
            await asyncio.Future()

    asyncio.run(main())


async def _listen(socket: ClientConnection, expected: int, received: list[float], sent_at: dict[str, float]) -> None:
    got = 0
    while got < expected:
        frame = json.loads(await socket.recv())
        if frame.get("type") == "message" or "id" in frame:
            key = frame["message"]["text"] if "message" in frame else frame["id"]
            if key in sent_at:
                received.append(time.perf_counter() - sent_at[key])
                got += 1


async def _fan_out(
    url_of: Any, sender_url: str, sender_headers: dict[str, str], listeners: int, messages: int, ours: bool
) -> dict[str, Any]:
    sockets = [await connect(url_of(n), open_timeout=30, max_queue=None) for n in range(listeners)]
    sender = await connect(sender_url, additional_headers=sender_headers, open_timeout=30)
    if ours:  # hello, history, questions
        for socket in [*sockets, sender]:
            for _ in range(3):
                await socket.recv()
    sent_at: dict[str, float] = {}
    received: list[float] = []
    readers = [asyncio.create_task(_listen(s, messages, received, sent_at)) for s in sockets]
    started = time.perf_counter()
    for n in range(messages):
        key = f"{n:06d} {TEXT}"
        sent_at[key] = time.perf_counter()
        await sender.send(json.dumps({"type": "message", "text": key} if ours else {"id": key, "text": key}))
        if n % 10 == 0:
            await asyncio.sleep(0)
    await asyncio.wait_for(asyncio.gather(*readers), 300)
    elapsed = time.perf_counter() - started
    for socket in [*sockets, sender]:
        await socket.close()
    received.sort()
    return {
        "deliveries": len(received),
        "deliveries_per_s": round(len(received) / elapsed, 1),
        "messages_per_s": round(messages / elapsed, 1),
        "p50_ms": round(statistics.median(received) * 1000, 2),
        "p99_ms": round(received[int(len(received) * 0.99) - 1] * 1000, 2),
    }


async def _steady(url_of: Any, listeners: int, senders: int, seconds: float) -> dict[str, Any]:
    """--senders viewers each posting one message a second (a lively room): how long a message takes to reach
    one listener (the last socket: the others are written first or alongside)."""
    sockets = [await connect(url_of(n), open_timeout=30, max_queue=None) for n in range(listeners)]
    for socket in sockets:
        for _ in range(3):  # hello, history, questions
            await socket.recv()
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    rounds = int(seconds)

    async def watch(socket: ClientConnection) -> None:
        async for raw in socket:
            frame = json.loads(raw)
            if frame.get("type") == "message" and frame["message"]["text"] in sent_at:
                latencies.append(time.perf_counter() - sent_at[frame["message"]["text"]])

    watcher = asyncio.create_task(watch(sockets[-1]))
    for second in range(rounds):
        for n in range(senders):
            key = f"{second}-{n} {TEXT}"
            sent_at[key] = time.perf_counter()
            await sockets[n].send(json.dumps({"type": "message", "text": key}))
            await asyncio.sleep(1.0 / senders)
    await asyncio.sleep(2.0)
    for socket in sockets:
        await socket.close()
    watcher.cancel()
    latencies.sort()
    return {
        "messages": len(sent_at),
        "delivered": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
    }


async def _reaction_crowd(url_of: Any, listeners: int, seconds: float) -> dict[str, Any]:
    sockets = [await connect(url_of(n), open_timeout=30, max_queue=None) for n in range(listeners)]
    frames = [0] * listeners
    taps = 0

    async def read(n: int) -> None:
        async for raw in sockets[n]:
            if json.loads(raw).get("type") == "reactions":
                frames[n] += 1

    readers = [asyncio.create_task(read(n)) for n in range(listeners)]
    started = time.perf_counter()
    end = started + seconds
    while time.perf_counter() < end:
        for socket in sockets:
            await socket.send(json.dumps({"type": "reaction", "emoji": "🎉"}))
            taps += 1
        await asyncio.sleep(0.2)  # 5 taps a second each
    await asyncio.sleep(1.5)  # the last tick's frames
    for socket in sockets:
        await socket.close()
    elapsed = time.perf_counter() - started
    await asyncio.gather(*readers, return_exceptions=True)
    return {
        "taps": taps,
        "taps_per_s": round(taps / seconds, 1),
        "frames_per_listener_per_s": round(statistics.mean(frames) / elapsed, 2),
    }


def run_database(database: str, listeners: int, messages: int, seconds: float) -> dict[str, Any]:
    with server_on(database) as server:
        base = server.base_url
        server.cli("admin", "create", "--email", "bench@example.com", "--password", PASSWORD)
        login = httpx.post(f"{base}/api/auth/login", json={"email": "bench@example.com", "password": PASSWORD})
        admin = {"Authorization": f"Bearer {login.json()['token']}"}
        event_id = open_event(base, admin, eventType="live")
        tokens = []
        with httpx.Client(base_url=base) as http:
            for n in range(listeners):
                answer = http.post("/api/registrations", json={"eventId": event_id, "clientViewerId": f"cv-bench-{n}"})
                tokens.append(answer.json()["token"])
        ws = base.replace("http://", "ws://") + f"/api/events/{event_id}/chat/ws"

        def url_of(n: int) -> str:
            return f"{ws}?token={tokens[n]}"

        ours = asyncio.run(_fan_out(url_of, ws, admin, listeners, messages, ours=True))
        steady = asyncio.run(_steady(url_of, listeners, min(20, listeners), seconds))
        crowd = asyncio.run(_reaction_crowd(url_of, listeners, seconds))
    return {"fan_out": ours, "steady_20_senders": steady, "reactions": crowd}


def run_baseline(listeners: int, messages: int) -> dict[str, Any]:
    port = free_port()
    process = multiprocessing.Process(target=_baseline_server, args=(port,), daemon=True)
    process.start()
    try:
        time.sleep(1.0)
        url = f"ws://127.0.0.1:{port}"
        return asyncio.run(_fan_out(lambda _: url, url, {}, listeners, messages, ours=False))
    finally:
        process.terminate()
        process.join(5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listeners", type=int, default=200)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    baseline = run_baseline(args.listeners, args.messages)
    result: dict[str, Any] = {"listeners": args.listeners, "messages": args.messages, "baseline": baseline}
    for database in ("sqlite", "postgresql"):
        figures = run_database(database, args.listeners, args.messages, args.seconds)
        figures["fan_out"]["ratio_to_baseline"] = round(
            figures["fan_out"]["deliveries_per_s"] / baseline["deliveries_per_s"], 3
        )
        result[database] = figures
    emit(result)


if __name__ == "__main__":
    main()
