"""Database engine, sessions and the column types every table shares."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import JSON, URL, Connection, DateTime, Enum, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from ulid_transform import ulid_now

from golive.platform.fastpath.driver_pool import DriverPool
from golive.platform.notices import Notices
from golive.platform.unit_of_work import UnitOfWork

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """A ULID: unique, sortable by creation time, safe in URLs. ulid-transform's C++ makes one in 0.1 µs, where
    python-ulid took 4 to 5 µs: a crowd's admission makes two."""
    return ulid_now()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """INSERT for the session's database, with its ON CONFLICT clauses (both dialects spell them alike)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(table)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


def str_enum(enum_cls: type[enum.StrEnum], length: int = 20) -> Enum:
    """Enums are stored as their string values in a VARCHAR: portable, readable in SQL, easy to extend."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long a caller waits on the database before giving up (and a request answers 503): a server that
    accepts connections but answers nothing (frozen, a dead network path) would otherwise hold every request
    until its client gives up. Zero turns the statement or command timeout off."""

    connect_seconds: float = 5.0
    pool_seconds: float = 10.0
    statement_seconds: float = 30.0
    command_seconds: float = 35.0

    def asyncpg_connect_args(self) -> dict[str, Any]:
        """asyncpg's connect arguments (for SQLAlchemy's connections and for asyncpg's own pool)."""
        args: dict[str, Any] = {"timeout": self.connect_seconds}
        if self.command_seconds > 0:
            args["command_timeout"] = self.command_seconds
        if self.statement_seconds > 0:
            args["server_settings"] = {"statement_timeout": str(round(self.statement_seconds * 1000))}
        return args


def make_engine(url: str, timeouts: DatabaseTimeouts | None = None) -> AsyncEngine:
    """`timeouts` None (migrations, maintenance): no query deadlines, the drivers' own connect timeouts."""
    pool_timeout = {"pool_timeout": timeouts.pool_seconds} if timeouts is not None else {}
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **pool_timeout)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = timeouts.asyncpg_connect_args() if timeouts is not None else {}
    # No pre-ping: it costs a round trip on every checkout. A connection dropped by a database restart
    # fails one request, SQLAlchemy then discards the whole pool, and the next requests reconnect.
    # Connections above pool_size are closed on return, and opening one costs more than an admission:
    # the pool is sized for a crowd (connections open lazily) and overflow is only a safety margin.
    return create_async_engine(
        url, pool_size=25, max_overflow=5, pool_recycle=1800, connect_args=connect_args, **pool_timeout
    )


class SqliteWriter:
    """SQLite only: one thread with its own connection for the writes a crowd sends at once (the admission
    upsert), one hop from the event loop per write.

    Through aiosqlite a statement took about ten hops between the event loop and aiosqlite's threads (cursor,
    execute, fetch, close, isolation level set and reset, rollback), and under a crowd those hops cost more
    than SQLite itself. SQLite takes one writer at a time anyway, so one thread loses nothing.
    """

    def __init__(self, url: URL) -> None:
        self.engine = create_engine(url.set(drivername="sqlite"), pool_size=1, connect_args={"timeout": 30})
        event.listen(self.engine, "connect", _sqlite_pragmas)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="golive-sqlite-writer")

    async def run(self, write: Callable[[Connection], T]) -> T:
        """write(connection) on the writer thread, in a transaction committed when it returns."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._in_transaction, write)

    def _in_transaction(self, write: Callable[[Connection], T]) -> T:
        with self.engine.begin() as connection:
            return write(connection)

    def close(self) -> None:
        self._thread.shutdown(wait=True)
        self.engine.dispose()


class Database:
    """One engine and session factory per app (or CLI command, or worker)."""

    def __init__(self, url: str, timeouts: DatabaseTimeouts | None = None) -> None:
        self.url = url
        self.timeouts = timeouts or DatabaseTimeouts()
        self.engine = make_engine(url, self.timeouts)
        # what committed units of work tell this instance's caches (and, once relayed, the other instances')
        self.notices = Notices()
        self.sessionmaker = async_sessionmaker(
            self.engine, class_=UnitOfWork, expire_on_commit=False, notices=self.notices
        )
        # For reads that are one statement (admin authentication, list pages): on PostgreSQL autocommit
        # spares the BEGIN and ROLLBACK round trips around the query (same pool; asyncpg sets no state for
        # it). SQLite's driver opens no transaction for a read anyway.
        self.read_engine = (
            self.engine if url.startswith("sqlite") else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._driver_pool = DriverPool(self.engine, self.timeouts)
        self._sqlite_writer: SqliteWriter | None = None

    async def driver_pool(self) -> asyncpg.Pool:
        """PostgreSQL only: asyncpg's pool, opened on first use (platform.fastpath.driver_pool)."""
        return await self._driver_pool.get()

    @property
    def sqlite_writer(self) -> SqliteWriter:
        """SQLite only: the writer thread, started on first use."""
        if self._sqlite_writer is None:
            self._sqlite_writer = SqliteWriter(self.engine.url)
        return self._sqlite_writer

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def dispose(self) -> None:
        writer, self._sqlite_writer = self._sqlite_writer, None
        try:
            await self._driver_pool.close()
            if writer is not None:
                await asyncio.to_thread(writer.close)  # waits for the writes in flight
        finally:
            await self.engine.dispose()
