"""The `golive` command and the app's readiness, as an operator uses them."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from golive import __version__
from golive.app import create_app
from golive.platform.settings import Settings
from tests.live_server import GOLIVE, free_port, run_server, server_env
from tests.support import assert_error

# starts servers of its own, but nothing here has a deadline (tests/conftest.py)
pytestmark = pytest.mark.no_deadlines


def golive(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GOLIVE, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """A fresh embedded database for each test, created by `golive migrate` itself."""
    data_dir = tmp_path / "var"
    env = server_env("", data_dir)
    env.pop("GOLIVE_DATABASE_URL")
    env.pop("GOLIVE_SECRET_KEY")
    result = golive(env, "migrate")
    assert result.returncode == 0, result.stderr
    return env


def test_admin_create_makes_an_account_that_can_log_in(cli_env: dict[str, str], tmp_path: Path) -> None:
    created = golive(
        cli_env, "admin", "create", "--email", "Boss@Example.com", "--password", "a-long-password", "--name", "Boss"
    )
    assert created.returncode == 0, created.stderr
    assert "Created owner" in created.stdout
    duplicate = golive(cli_env, "admin", "create", "--email", "boss@example.com", "--password", "a-long-password")
    assert duplicate.returncode == 1 and "already exists" in duplicate.stdout
    too_short = golive(cli_env, "admin", "create", "--email", "x@example.com", "--password", "short")
    assert too_short.returncode == 2


def test_admin_create_with_a_bad_email_says_so_in_one_line(cli_env: dict[str, str]) -> None:
    bad = golive(cli_env, "admin", "create", "--email", "not-an-email", "--password", "short", "--name", "X")
    assert bad.returncode == 2
    assert bad.stdout.strip().splitlines() == [
        "--email: value is not a valid email address: An email address must have an @-sign.; "
        "--password: String should have at least 10 characters"
    ]
    assert "Traceback" not in bad.stderr and "pydantic" not in bad.stdout + bad.stderr


def test_version_prints_the_version(cli_env: dict[str, str]) -> None:
    result = golive(cli_env, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"golive {__version__}"


async def test_events_list_shows_each_event_with_its_start_in_its_zone(cli_env: dict[str, str]) -> None:
    assert "No events yet" in golive(cli_env, "events", "list").stdout
    golive(cli_env, "admin", "create", "--email", "ops@example.com", "--password", "a-long-password")
    app = create_app(Settings(data_dir=Path(cli_env["GOLIVE_DATA_DIR"]), database_url="", embedded_worker=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        login = await client.post("/api/auth/login", json={"email": "ops@example.com", "password": "a-long-password"})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        created = []
        for body in (
            {
                "title": "Keynote",
                "eventType": "live",
                "scheduledStart": "2030-05-01T16:00:00Z",
                "timezone": "Europe/Paris",
            },
            {"title": "Recorded talk", "eventType": "vod"},
        ):
            response = await client.post("/api/events", json=body, headers=headers)
            assert response.status_code == 201, response.text
            created.append(response.json()["eventId"])
    listed = golive(cli_env, "events", "list")
    assert listed.returncode == 0, listed.stderr
    header, *lines = [line.split() for line in listed.stdout.strip().splitlines()]
    assert header == ["id", "title", "type", "status", "start"]
    assert lines == [
        [created[1], "Recorded", "talk", "vod", "draft", "-"],
        [created[0], "Keynote", "live", "draft", "2030-05-01", "18:00", "Europe/Paris"],
    ]
    only_live = golive(cli_env, "events", "list", "--type", "live")
    assert created[0] in only_live.stdout and created[1] not in only_live.stdout
    assert golive(cli_env, "events", "list", "--status", "nonsense").returncode == 2


async def test_the_admin_created_by_the_cli_logs_in_over_http(cli_env: dict[str, str]) -> None:
    golive(
        cli_env, "admin", "create", "--email", "ops@example.com", "--password", "a-long-password", "--role", "editor"
    )
    app = create_app(Settings(data_dir=Path(cli_env["GOLIVE_DATA_DIR"]), database_url="", embedded_worker=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.post(
            "/api/auth/login", json={"email": "ops@example.com", "password": "a-long-password"}
        )
    assert response.status_code == 200
    assert response.json()["admin"]["role"] == "editor"


def test_the_secret_key_is_generated_once_into_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d")
    first = settings.effective_secret_key()
    assert len(first) >= 48
    assert Settings(data_dir=tmp_path / "d").effective_secret_key() == first
    assert Settings(data_dir=tmp_path / "other").effective_secret_key() != first


async def test_healthz_is_ok_with_a_database_and_503_without(tmp_path: Path, database_url: str) -> None:
    healthy = create_app(Settings(data_dir=tmp_path / "a", database_url=database_url, embedded_worker=False))
    broken_url = f"sqlite+aiosqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}"
    broken = create_app(Settings(data_dir=tmp_path / "b", database_url=broken_url, embedded_worker=False))
    for app, expected in ((healthy, 200), (broken, 503)):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.get("/healthz")
        assert response.status_code == expected
    assert response.json()["error"]["code"] == "database_unavailable"


async def test_calls_get_503_while_the_database_refuses_connections(tmp_path: Path) -> None:
    """A database that is down (PostgreSQL on a port nobody listens on) is an outage to retry, never a 500."""
    closed_port = free_port()
    down_url = f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port}/golive"
    app = create_app(Settings(data_dir=tmp_path / "d", database_url=down_url, embedded_worker=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        join = await client.post("/api/registrations", json={"eventId": "01JEVENT", "clientViewerId": "viewer-123"})
        login = await client.post("/api/auth/login", json={"email": "a@example.com", "password": "whatever-123"})
    for response in (join, login):
        assert_error(response, 503, "service_unavailable")


def test_serve_with_the_embedded_worker_stops_promptly_on_sigterm(database_url: str, tmp_path: Path) -> None:
    with run_server(database_url, tmp_path / "srv", GOLIVE_EMBEDDED_WORKER="true") as server:
        process = server.process
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        assert time.monotonic() - started < 10
        # uvicorn shuts down gracefully, then re-raises the signal it caught (exit status -SIGTERM).
        assert process.returncode in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in (server.data_dir / "server.log").read_text()
