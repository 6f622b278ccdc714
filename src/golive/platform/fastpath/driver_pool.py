"""asyncpg's own pool, beside SQLAlchemy's, for the one statement a crowd sends at once (PostgreSQL only)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from golive.platform.db import DatabaseTimeouts

# asyncpg's own pool, beside SQLAlchemy's, for the one statement a crowd sends at once (the admission upsert,
# batched: 8 statements in flight). With SQLAlchemy's 25 + 5 a process holds at most 40 connections, so two
# instances fit PostgreSQL's default max_connections of 100.
DRIVER_POOL_SIZE = 10
# URL options SQLAlchemy's asyncpg dialect consumes itself; asyncpg would send them to the server as settings.
SQLALCHEMY_ONLY_OPTIONS = ("prepared_statement_cache_size", "prepared_statement_name_func", "async_fallback")


async def _keep_session(_: asyncpg.Connection) -> None:
    """The driver pool's statements are single autocommitted ones that set no session state, so a returned
    connection needs no reset query (asyncpg's default costs a round trip on every release). asyncpg still
    rolls back a transaction left open."""


class DriverPool:
    """asyncpg's pool for an engine's database, opened on first use and closed with the Database."""

    def __init__(self, engine: AsyncEngine, timeouts: DatabaseTimeouts) -> None:
        self.engine = engine
        self.timeouts = timeouts
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def get(self) -> asyncpg.Pool:
        """PostgreSQL only: asyncpg's pool, opened on first use. Checking a connection out of it and running
        a prepared statement costs a fraction of the same through SQLAlchemy's pool and execution layer."""
        if self._pool is None:
            async with self._opening:  # the first crowd must not open one pool each
                if self._pool is None:
                    _, options = self.engine.dialect.create_connect_args(self.engine.url)
                    for sqlalchemy_only in SQLALCHEMY_ONLY_OPTIONS:
                        options.pop(sqlalchemy_only, None)
                    deadlines = self.timeouts.asyncpg_connect_args()
                    server_settings = {**options.pop("server_settings", {}), **deadlines.pop("server_settings", {})}
                    self._pool = await asyncpg.create_pool(
                        **options,
                        **deadlines,
                        server_settings=server_settings or None,
                        min_size=1,
                        max_size=DRIVER_POOL_SIZE,
                        reset=_keep_session,
                    )
        return self._pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()
