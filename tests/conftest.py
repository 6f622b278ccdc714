"""Shared fixtures: a real database (SQLite file, or a fresh PostgreSQL database), the app, factories.

The database is chosen like the app chooses it: GOLIVE_DATABASE_URL. For PostgreSQL a new database is
created next to the one named there (and dropped afterwards), so tests never touch real data.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import delete, text
from sqlalchemy.engine import make_url

from golive.app import create_app
from golive.identity.staff.models import AdminRole
from golive.migrate import upgrade
from golive.models import Base
from golive.platform.context import AppContext
from golive.platform.db import make_engine
from golive.platform.settings import Settings
from tests.support import AdminLogin, Factory

CLIENT_IP = "203.0.113.7"
# asgi-lifespan gives shutdown 5 s; ours bounds each of its steps (golive.app.SHUTDOWN_STEP_SECONDS) instead
SHUTDOWN_TIMEOUT = 60
# Every app, command and server of the suite hashes passwords with the cheapest argon2 (docs/decisions.md,
# "The test suite"); GOLIVE_PASSWORD_HASH_PROFILE=default runs it with the production parameters.
os.environ.setdefault("GOLIVE_PASSWORD_HASH_PROFILE", "fast")


# The real-time lane (`-m realtime`, run alone after the parallel lane; docs/decisions.md, "The test suite"): whole
# folders, and any module that starts a golive process, nginx or Chromium, or a test using the nginx edge. Everything
# else runs on pytest-xdist workers; a test can also say `@pytest.mark.realtime` itself. A module that starts servers
# but has no deadline (generous timeouts only) says `pytestmark = pytest.mark.no_deadlines` and runs on the workers.
REALTIME_FOLDERS = {"deploy", "e2e", "live"}
SERVER_STARTERS = {"run_server", "require_nginx_njs", "require_nginx_rtmp", "require_chromium"}
SERVER_FIXTURES = {"nginx_edge"}
TESTS_ROOT = Path(__file__).resolve().parent


def _is_realtime(item: pytest.Item) -> bool:
    if item.get_closest_marker("no_deadlines") is not None:
        return False
    path = item.path.resolve()
    module = getattr(item, "module", None)
    return (
        (path.is_relative_to(TESTS_ROOT) and path.relative_to(TESTS_ROOT).parts[0] in REALTIME_FOLDERS)
        or (module is not None and not SERVER_STARTERS.isdisjoint(vars(module)))
        or not SERVER_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    )


def _realtime_shard(items: list[pytest.Item]) -> set[Path]:
    """The real-time modules of shard k of TEST_REALTIME_SHARD="k/n": within each top folder (e2e, live, ...), the
    modules in path order, every n-th from the k-th, so each shard gets a share of the browsers and of the live
    publishing alike (CI runs one shard on each database: docs/decisions.md, "The test suite"). A module marked
    `every_database` runs in every shard."""
    shard, _, count = os.environ.get("TEST_REALTIME_SHARD", "").partition("/")
    if not shard:
        return {item.path for item in items}
    index, shards = int(shard) - 1, int(count)
    folders: dict[str, list[Path]] = {}
    for path in sorted({item.path for item in items}):
        folders.setdefault(path.relative_to(TESTS_ROOT).parts[0], []).append(path)
    return {path for paths in folders.values() for n, path in enumerate(paths) if n % shards == index}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    realtime = [item for item in items if _is_realtime(item)]
    for item in realtime:
        item.add_marker(pytest.mark.realtime)
    kept = _realtime_shard(realtime)
    other_shards = [
        item for item in realtime if item.path not in kept and item.get_closest_marker("every_database") is None
    ]
    if other_shards:
        config.hook.pytest_deselected(items=other_shards)
        dropped = set(other_shards)
        items[:] = [item for item in items if item not in dropped]


def _create_postgres_database(base_url: str) -> tuple[str, str]:
    import psycopg

    url = make_url(base_url)
    name = f"golive_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin_dsn = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False), admin_dsn


def _drop_postgres_database(admin_dsn: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("GOLIVE_DATABASE_URL", "")
    if configured.startswith("postgresql"):
        url, admin_dsn = _create_postgres_database(configured)
        upgrade(url)
        yield url
        _drop_postgres_database(admin_dsn, make_url(url).database or "")
    else:
        path = tmp_path_factory.mktemp("db") / "golive-test.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


async def _empty_all_tables(url: str) -> None:
    """Every table emptied in one transaction: one TRUNCATE on PostgreSQL (instead of a DELETE per table before
    every test), deletes children first on SQLite (whose DELETE without WHERE is already its truncate)."""
    engine = make_engine(url)
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            quote = connection.dialect.identifier_preparer.format_table
            names = ", ".join(quote(table) for table in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                await connection.execute(delete(table))
    await engine.dispose()


@pytest.fixture(scope="module")
def fresh_database_url(database_url: str) -> str:
    """The shared test database, emptied: for a module whose live server must not see other modules' rows."""
    asyncio.run(_empty_all_tables(database_url))
    return database_url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        secret_key="test-secret-" + "x" * 40,
        embedded_worker=False,
        environment="test",
        login_max_failures=5,
        login_max_attempts_per_ip=10,
        login_window_seconds=60,
        rtmp_port=0,  # no RTMP listener per test app (tests/live starts its own on a free port)
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    await _empty_all_tables(settings.resolved_database_url)
    application = create_app(settings)
    async with LifespanManager(application, shutdown_timeout=SHUTDOWN_TIMEOUT):
        yield application


@pytest.fixture
def app_ctx(app: FastAPI) -> AppContext:
    ctx: AppContext = app.state.ctx
    return ctx


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(CLIENT_IP, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def factory(app_ctx: AppContext, client: httpx.AsyncClient) -> Factory:
    return Factory(app_ctx, client)


@pytest.fixture
async def owner(factory: Factory) -> AdminLogin:
    return await factory.admin(AdminRole.OWNER)
