"""A database that accepts connections but answers nothing (frozen with SIGSTOP) costs a request its deadline,
then a 503, never a request that waits until the client gives up; thawed, the same app serves again.

The test starts its own PostgreSQL (initdb + postgres as the postgres user, on a free port, in a temp dir) and
freezes that one: never the shared server the rest of the suite uses.
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from asgi_lifespan import LifespanManager

from golive.app import create_app
from golive.migrate import upgrade
from golive.platform.settings import Settings
from tests.conftest import CLIENT_IP, SHUTDOWN_TIMEOUT
from tests.live_server import free_port
from tests.support import Factory, new_client_viewer_id

SERVER_SETTINGS = ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=60"]
# a request must be answered well within this, deadlines of about a second included (generous: a busy CI)
ANSWER_WITHIN_SECONDS = 60


@dataclass
class ThrowawayPostgres:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def freeze(self) -> None:
        """The postmaster and every backend stop: connections are still accepted (the kernel's backlog) and
        open sockets stay open, but nothing is ever answered."""
        for pid in self.processes():
            with suppress(ProcessLookupError):  # a backend that ended since it was listed
                os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.processes():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def processes(self) -> list[int]:
        """The postmaster and its descendants (each backend leads its own process group, so no killpg)."""
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            parents[int(stat.parent.name)] = int(fields[1])
        found = [self.process.pid]
        for pid in found:
            found += [child for child, parent in parents.items() if parent == pid]
        return found


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL's server binaries ({name}) are not installed")
    return found[-1]


@pytest.fixture(scope="module")
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    as_user = "postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses to run as root
    data_dir = Path(tempfile.mkdtemp(prefix="golive-frozen-pg-"))
    if as_user:
        shutil.chown(data_dir, as_user)
    subprocess.run(
        [_postgres_bin("initdb"), "-D", str(data_dir / "data"), "-U", "postgres", "--auth=trust", "--no-sync"],
        check=True,
        capture_output=True,
        user=as_user,
        cwd=data_dir,
    )
    port = free_port()
    with (data_dir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [
                _postgres_bin("postgres"),
                "-D",
                str(data_dir / "data"),
                "-p",
                str(port),
                "-k",
                str(data_dir),
                *SERVER_SETTINGS,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            user=as_user,
            cwd=data_dir,
        )
    server = ThrowawayPostgres(port=port, process=process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((data_dir / "server.log").read_text()) from None
                time.sleep(0.2)
        upgrade(server.url)
        yield server
    finally:
        server.thaw()  # a stopped postmaster would never see the signal to stop
        process.send_signal(signal.SIGINT)  # fast shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
async def frozen_site(throwaway_postgres: ThrowawayPostgres, tmp_path: Path) -> AsyncIterator[Factory]:
    """The app on the throwaway server, with small deadlines; a Factory holds its client and context."""
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=throwaway_postgres.url,
        secret_key="test-secret-" + "x" * 40,
        embedded_worker=False,
        environment="test",
        rtmp_port=0,
        public_cache_seconds=0,  # every event read reaches the database
        db_connect_timeout_seconds=1,
        db_pool_timeout_seconds=1,
        db_statement_timeout_seconds=1,
        db_command_timeout_seconds=1.5,
        healthz_timeout_seconds=1,
    )
    application = create_app(settings)
    async with LifespanManager(application, shutdown_timeout=SHUTDOWN_TIMEOUT):
        transport = httpx.ASGITransport(app=application, client=(CLIENT_IP, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Factory(application.state.ctx, client)


async def answered(request: Coroutine[Any, Any, httpx.Response]) -> httpx.Response:
    return await asyncio.wait_for(request, ANSWER_WITHIN_SECONDS)


async def test_a_frozen_database_answers_503_within_the_deadlines_and_recovers(
    frozen_site: Factory, throwaway_postgres: ThrowawayPostgres
) -> None:
    factory, client = frozen_site, frozen_site.http
    owner = await factory.admin()
    event = await factory.open_event(owner)
    event_id = event["eventId"]
    form_fields = [{"name": "email", "label": "Email", "type": "email", "required": True}]
    form_event = (await factory.open_event(owner, accessType="form", formFields=form_fields))["eventId"]
    browsers = [new_client_viewer_id() for _ in range(8)]
    warm = await asyncio.gather(*(factory.register(event_id, b) for b in browsers))  # both pools hold connections
    assert {r.status_code for r in warm} == {200}
    assert (await client.get("/healthz")).status_code == 200

    throwaway_postgres.freeze()
    try:
        calls = {
            "health": client.get("/healthz"),
            "public read": client.get(f"/api/events/{event_id}"),
            "admin read": client.get(f"/api/events/{event_id}", headers=owner.headers),
            "admission": factory.register(event_id),
            "returning viewer": factory.register(event_id, browsers[0]),
            "form registration": factory.register(form_event, formData={"email": "frozen@example.com"}),
            "admin list": client.get("/api/events", headers=owner.headers),
        }
        responses = dict(zip(calls, await asyncio.gather(*(answered(c) for c in calls.values())), strict=True))
    finally:
        throwaway_postgres.thaw()

    for name, response in responses.items():
        assert response.status_code == 503, (name, response.text)
        error = response.json()["error"]
        assert error["code"] in {"database_timeout", "service_timeout", "database_unavailable"}, (name, error)
    assert responses["health"].json()["error"]["code"] == "database_unavailable"

    # thawed: the same process serves again, with no restart
    deadline = time.monotonic() + ANSWER_WITHIN_SECONDS
    while (await answered(client.get("/healthz"))).status_code != 200:
        assert time.monotonic() < deadline, "the app never became ready again"
        await asyncio.sleep(0.5)
    statuses: list[int] = []
    while time.monotonic() < deadline:
        statuses = [
            (await answered(factory.register(event_id, new_client_viewer_id()))).status_code,
            (await answered(factory.register(form_event, formData={"email": "thawed@example.com"}))).status_code,
            (await answered(client.get(f"/api/events/{event_id}"))).status_code,
        ]
        if statuses == [200, 200, 200]:
            break
        await asyncio.sleep(0.5)
    assert statuses == [200, 200, 200]
