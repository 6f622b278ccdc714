"""Alembic is the only way the schema is made: up, down and up again, and it matches the models."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from golive.migrate import downgrade, upgrade
from golive.models import Base
from golive.platform.db import make_engine
from tests.conftest import _create_postgres_database, _drop_postgres_database


@pytest.fixture
def scratch_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind under test, separate from the one the other tests share."""
    configured = os.environ.get("GOLIVE_DATABASE_URL", "")
    if configured.startswith("postgresql"):
        url, admin_dsn = _create_postgres_database(configured)
        yield url
        _drop_postgres_database(admin_dsn, url.rsplit("/", 1)[1])
    else:
        yield f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}"


async def _tables_and_diff(url: str) -> tuple[set[str], list[object]]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata)
        )
    await engine.dispose()
    return tables, diff


async def test_migrations_run_up_down_and_up_and_match_the_models(scratch_database_url: str) -> None:
    await asyncio.to_thread(upgrade, scratch_database_url)
    tables, diff = await _tables_and_diff(scratch_database_url)
    assert set(Base.metadata.tables) <= tables
    assert diff == []

    await asyncio.to_thread(downgrade, scratch_database_url, "base")
    tables, _ = await _tables_and_diff(scratch_database_url)
    assert tables <= {"alembic_version"}

    await asyncio.to_thread(upgrade, scratch_database_url)
    tables, diff = await _tables_and_diff(scratch_database_url)
    assert set(Base.metadata.tables) <= tables
    assert diff == []
