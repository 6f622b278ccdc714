"""Concurrent viewers now: presence per event, published through the broker, agreed on by every instance."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from golive.app import create_app
from golive.engagement.analytics.ingest import live_stats_channel
from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.settings import Settings
from tests.conftest import CLIENT_IP, SHUTDOWN_TIMEOUT
from tests.engagement.analytics.conftest import admitted_player, heartbeat, live_event
from tests.live_server import LiveServer, run_server
from tests.support import ADMIN_PASSWORD, AdminLogin, Factory
from tests.tools import redis_server


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


def latest_count(messages: asyncio.Queue[str]) -> int:
    """The last count published so far: the background flush may have published earlier ones."""
    last = messages.get_nowait()
    while not messages.empty():
        last = messages.get_nowait()
    count: int = json.loads(last)["concurrentViewers"]
    return count


async def test_the_count_follows_sessions_opening_and_ending_and_is_published(
    factory: Factory, owner: AdminLogin, runtime: AnalyticsRuntime
) -> None:
    event_id = await live_event(factory, owner)
    alice, bob = await admitted_player(factory, event_id), await admitted_player(factory, event_id)
    async with runtime.realtime.broker.subscribe(live_stats_channel(event_id)) as messages:
        await alice.open()
        await bob.open()
        await runtime.ingest.flush()
        assert latest_count(messages) == 2
        await bob.send({"type": "end", "position": 1, "played": 1, "reason": "stopped"})
        await alice.send(heartbeat(5, 5))
        await runtime.ingest.flush()
        assert latest_count(messages) == 1
    body = (await factory.http.get(f"/api/analytics/{event_id}", headers=owner.headers)).json()
    assert body["concurrency"]["current"] == 1


@dataclass
class Instance:
    http: httpx.AsyncClient
    runtime: AnalyticsRuntime


@pytest.fixture
async def two_instances(settings: Settings, redis_url: str) -> AsyncIterator[tuple[Instance, Instance]]:
    """Two app instances on one database and one Redis, each with its own client."""
    shared = settings.model_copy(update={"redis_url": redis_url})
    first, second = create_app(shared), create_app(shared)
    async with (
        LifespanManager(first, shutdown_timeout=SHUTDOWN_TIMEOUT),
        LifespanManager(second, shutdown_timeout=SHUTDOWN_TIMEOUT),
    ):
        instances = [
            Instance(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app, client=(CLIENT_IP, 40000)), base_url="http://t"
                ),
                app.state.analytics,
            )
            for app in (first, second)
        ]
        try:
            yield instances[0], instances[1]
        finally:
            for instance in instances:
                await instance.http.aclose()


async def test_two_instances_with_redis_agree_on_the_count(
    factory: Factory, owner: AdminLogin, two_instances: tuple[Instance, Instance]
) -> None:
    first, second = two_instances
    event_id = await live_event(factory, owner)
    alice, bob = await admitted_player(factory, event_id), await admitted_player(factory, event_id)
    alice.http, bob.http = first.http, second.http
    async with second.runtime.realtime.broker.subscribe(live_stats_channel(event_id)) as messages:
        await alice.open()
        await first.runtime.ingest.flush()
        # the second instance hears what the first one published
        message = await asyncio.wait_for(messages.get(), 5)
        assert json.loads(message)["concurrentViewers"] == 1
        await bob.open()
        await second.runtime.ingest.flush()
    for instance in (first, second):
        body = (await instance.http.get(f"/api/analytics/{event_id}", headers=owner.headers)).json()
        assert body["concurrency"]["current"] == 2


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path, redis_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    extra = {"GOLIVE_REDIS_URL": redis_url, "GOLIVE_EMBEDDED_WORKER": "false"}
    with run_server(database_url, tmp_path / "a", **extra) as a, run_server(database_url, tmp_path / "b", **extra) as b:
        yield a, b


def _viewer_counts(server: LiveServer, event_id: str, wanted: list[int]) -> list[int]:
    """Reads the SSE stream until it has pushed each wanted count in turn (or 20 s pass)."""
    seen: list[int] = []
    deadline = time.monotonic() + 20
    with httpx.stream("GET", f"{server.base_url}/api/events/{event_id}/live-stats", timeout=20) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data:"):
                seen.append(json.loads(line[5:])["concurrentViewers"])
                if seen[-len(wanted) :] == wanted or time.monotonic() > deadline:
                    return seen
    return seen


def test_a_viewer_on_one_server_shows_on_the_live_stats_stream_of_another(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    a, b = two_servers
    email = "live-stats@example.com"
    a.cli("admin", "create", "--email", email, "--password", ADMIN_PASSWORD, "--name", "Live", check=False)
    token = httpx.post(f"{a.base_url}/api/auth/login", json={"email": email, "password": ADMIN_PASSWORD}).json()[
        "token"
    ]
    admin = {"Authorization": f"Bearer {token}"}
    event_id = httpx.post(
        f"{a.base_url}/api/events", json={"title": "Live", "eventType": "live"}, headers=admin
    ).json()["eventId"]
    for target in ("scheduled", "live"):
        httpx.post(f"{a.base_url}/api/events/{event_id}/transitions", json={"to": target}, headers=admin)
    viewer = httpx.post(f"{a.base_url}/api/registrations", json={"eventId": event_id, "clientViewerId": "cv-live-1"})
    bearer = {"Authorization": f"Bearer {viewer.json()['token']}"}

    counts: list[int] = []
    reader = threading.Thread(target=lambda: counts.extend(_viewer_counts(b, event_id, [0, 1, 0])))
    reader.start()
    time.sleep(1.0)  # the stream is open on b and has sent its first count
    session_id = httpx.post(f"{a.base_url}/api/playback/sessions", json={"eventId": event_id}, headers=bearer).json()[
        "sessionId"
    ]
    time.sleep(2.0)  # a flushes within a second and publishes through Redis
    end = {"events": [{"type": "end", "position": 1, "played": 1, "reason": "stopped"}]}
    assert (
        httpx.post(f"{a.base_url}/api/playback/sessions/{session_id}/events", json=end, headers=bearer).status_code
        == 202
    )
    reader.join(25)
    assert counts[-3:] == [0, 1, 0], counts
