"""The SQL of the viewers domain: single-statement upserts, the email-code steps, the filtered list."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import asyncpg
from sqlalchemy import Connection, Select, bindparam, false, func, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive.db import Database, new_id, utcnow
from golive.errors import DatabaseUnavailable
from golive.events.models import AccessType
from golive.viewers.models import DeviceType, EmailCode, PaymentStatus, Viewer


@dataclass(frozen=True)
class ViewerJoin:
    """What one admission call writes. Only a verifying join changes the gate fields of an existing row."""

    event_id: str
    client_viewer_id: str
    access_mode: AccessType
    verified: bool
    device_type: DeviceType
    user_agent: str
    ip_address: str
    email: str | None = None
    name: str | None = None
    form_data: dict[str, Any] | None = None
    paid_status: PaymentStatus | None = None  # copied from the same person's row on another device
    payment_id: str | None = None  # the payment that copy stands on


@dataclass(frozen=True)
class ViewerState:
    viewer_id: str
    access_mode: AccessType
    access_verified: bool
    is_paid_viewer: bool
    payment_status: PaymentStatus


@dataclass(frozen=True)
class RegistrationFilter:
    access_mode: AccessType | None = None
    payment_status: PaymentStatus | None = None
    access_verified: bool | None = None
    q: str | None = None
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class CodeAttempt:
    code_id: str
    code_hash: str
    attempts: int


def _insert(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT exists on both backends with the same API; pick the running one's."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


# Every column a join writes on insert; on conflict only some of them are copied onto the row.
_JOIN_COLUMNS = (
    "viewer_id",
    "event_id",
    "client_viewer_id",
    "email",
    "name",
    "access_mode",
    "form_data",
    "access_verified",
    "is_paid_viewer",
    "payment_status",
    "payment_id",
    "device_type",
    "user_agent",
    "ip_address",
    "first_join_at",
    "last_join_at",
    "total_sessions",
    "total_watch_time",
    "created_at",
)
_RETURNED = (Viewer.viewer_id, Viewer.access_mode, Viewer.access_verified, Viewer.is_paid_viewer, Viewer.payment_status)
_upserts: dict[tuple[str, tuple[str, ...]], Any] = {}


def _upsert_statement(dialect: str, changed: tuple[str, ...]) -> Any:
    """Built once per shape with bound parameters, so a join costs no statement construction."""
    key = (dialect, changed)
    if key not in _upserts:
        insert = _insert(dialect, Viewer)
        _upserts[key] = (
            insert.values({column: bindparam(f"p_{column}") for column in _JOIN_COLUMNS})
            .on_conflict_do_update(
                index_elements=[Viewer.event_id, Viewer.client_viewer_id],
                set_={column: insert.excluded[column] for column in changed},
            )
            .returning(*_RETURNED)
        )
    return _upserts[key]


def _join_shape_and_params(join: ViewerJoin) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The columns a conflicting join copies onto the existing row, and the statement's parameters.

    The IP address, device and first join time are written once; every join moves last_join_at;
    only a verifying join changes the gate fields of an existing row.
    """
    now = utcnow()
    changed = ["last_join_at"]
    if join.verified:
        changed += ["access_verified", "access_mode"]
        changed += [c for c in ("email", "name", "form_data") if getattr(join, c) is not None]
        if join.paid_status is not None:
            changed += ["is_paid_viewer", "payment_status", "payment_id"]
    params = {
        "p_viewer_id": new_id(),
        "p_event_id": join.event_id,
        "p_client_viewer_id": join.client_viewer_id,
        "p_email": join.email,
        "p_name": join.name,
        "p_access_mode": join.access_mode,
        "p_form_data": join.form_data or {},
        "p_access_verified": join.verified,
        "p_is_paid_viewer": join.paid_status is not None,
        "p_payment_status": join.paid_status or PaymentStatus.NONE,
        "p_payment_id": join.payment_id,
        "p_device_type": join.device_type,
        "p_user_agent": join.user_agent,
        "p_ip_address": join.ip_address,
        "p_first_join_at": now,
        "p_last_join_at": now,
        "p_total_sessions": 0,
        "p_total_watch_time": 0,
        "p_created_at": now,
    }
    return tuple(changed), params


def _viewer_state(row: Any) -> ViewerState:
    return ViewerState(
        viewer_id=row["viewer_id"],
        access_mode=AccessType(row["access_mode"]),
        access_verified=row["access_verified"],
        is_paid_viewer=row["is_paid_viewer"],
        payment_status=PaymentStatus(row["payment_status"]),
    )


async def upsert_viewer(connection: AsyncConnection, join: ViewerJoin) -> ViewerState:
    """One statement, one round trip: concurrent identical joins leave exactly one row."""
    changed, params = _join_shape_and_params(join)
    statement = _upsert_statement(connection.dialect.name, changed)
    row = (await connection.execute(statement, params)).one()
    return _viewer_state(row._mapping)


def _upsert_viewer_sync(join: ViewerJoin, connection: Connection) -> ViewerState:
    """upsert_viewer on SQLite's writer thread."""
    changed, params = _join_shape_and_params(join)
    row = connection.execute(_upsert_statement("sqlite", changed), params).one()
    return _viewer_state(row._mapping)


@dataclass(frozen=True)
class _DriverStatement:
    sql: str
    names: tuple[str, ...]


_driver_upserts: dict[tuple[str, ...], _DriverStatement] = {}
# What asyncpg raises when the server or the network dropped the connection (a database restart, say).
DRIVER_DISCONNECTS = (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError)


def _driver_statement(dialect: Dialect, changed: tuple[str, ...]) -> _DriverStatement:
    """The same upsert, compiled once by SQLAlchemy to PostgreSQL's $n SQL and its parameter order."""
    if changed not in _driver_upserts:
        compiled = _upsert_statement("postgresql", changed).compile(dialect=dialect)
        assert compiled.positiontup is not None  # asyncpg's paramstyle is positional
        _driver_upserts[changed] = _DriverStatement(compiled.string, tuple(compiled.positiontup))
    return _driver_upserts[changed]


async def upsert_viewer_alone(db: Database, join: ViewerJoin) -> ViewerState:
    """The admission hot path: the upsert autocommitted on its own, outside any transaction.

    On PostgreSQL the compiled statement goes to asyncpg's own pool, which keeps it prepared per connection:
    SQLAlchemy's pool and execution layer cost more CPU than the statement itself under a crowd of joins.
    """
    if db.engine.dialect.name == "sqlite":
        return await db.sqlite_writer.run(partial(_upsert_viewer_sync, join))
    changed, params = _join_shape_and_params(join)
    statement = _driver_statement(db.engine.dialect, changed)
    params["p_form_data"] = json.dumps(params["p_form_data"])  # jsonb goes over the wire as JSON text
    values = [params[name] for name in statement.names]
    try:
        pool = await db.driver_pool()
    except DRIVER_DISCONNECTS as exc:  # the database is down: its pool cannot even open
        raise DatabaseUnavailable from exc
    try:
        return await _upsert_on(pool, statement.sql, values)
    except DRIVER_DISCONNECTS:
        # A restart drops every pooled connection at once: have them all replaced, retry once on a new one.
        await pool.expire_connections()
    try:
        return await _upsert_on(pool, statement.sql, values)
    except DRIVER_DISCONNECTS as exc:
        raise DatabaseUnavailable from exc


async def _upsert_on(pool: asyncpg.Pool, sql: str, values: list[Any]) -> ViewerState:
    async with pool.acquire() as driver:
        return _viewer_state(await driver.fetchrow(sql, *values))


async def find_registrant(session: AsyncSession, event_id: str, email: str) -> Viewer | None:
    """The verified viewer of this event with this email (seed 000 GSI2: email + eventId): one who paid
    first, so a later unpaid device never hides the payment; then the most recent."""
    return await session.scalar(
        select(Viewer)
        .where(Viewer.event_id == event_id, Viewer.email == email, Viewer.access_verified.is_(True))
        .order_by(Viewer.is_paid_viewer.desc(), Viewer.last_join_at.desc())
        .limit(1)
    )


async def get_viewer(session: AsyncSession, viewer_id: str) -> Viewer | None:
    return await session.get(Viewer, viewer_id)


async def store_email_code(
    session: AsyncSession, event_id: str, email: str, code_hash: str, expires_at: datetime
) -> None:
    """A new code replaces the address's previous one, with a fresh attempt budget."""
    now = utcnow()
    fresh = {"code_hash": code_hash, "attempts": 0, "expires_at": expires_at, "used_at": None, "created_at": now}
    await session.execute(
        _insert(session.get_bind().dialect.name, EmailCode)
        .values(event_id=event_id, email=email, **fresh)
        .on_conflict_do_update(index_elements=[EmailCode.event_id, EmailCode.email], set_=fresh)
    )


async def spend_code_attempt(session: AsyncSession, event_id: str, email: str, max_attempts: int) -> CodeAttempt | None:
    """Counts one attempt before the comparison, atomically, so parallel guesses cannot exceed the budget.

    None when there is no live code (none, used, expired or out of attempts).
    """
    row = (
        await session.execute(
            update(EmailCode)
            .where(
                EmailCode.event_id == event_id,
                EmailCode.email == email,
                EmailCode.used_at.is_(None),
                EmailCode.expires_at > utcnow(),
                EmailCode.attempts < max_attempts,
            )
            .values(attempts=EmailCode.attempts + 1)
            .returning(EmailCode.code_id, EmailCode.code_hash, EmailCode.attempts)
            .execution_options(synchronize_session=False)
        )
    ).first()
    return CodeAttempt(code_id=row.code_id, code_hash=row.code_hash, attempts=row.attempts) if row else None


async def get_email_code(session: AsyncSession, event_id: str, email: str) -> EmailCode | None:
    return await session.scalar(select(EmailCode).where(EmailCode.event_id == event_id, EmailCode.email == email))


async def mark_code_used(session: AsyncSession, code_id: str) -> bool:
    """True for the one caller that uses the code; a concurrent second use gets False."""
    result = await session.execute(
        update(EmailCode)
        .where(EmailCode.code_id == code_id, EmailCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


def _filtered(query: Select[Any], event_id: str, filters: RegistrationFilter) -> Select[Any]:
    query = query.where(Viewer.event_id == event_id)
    if filters.access_mode is not None:
        query = query.where(Viewer.access_mode == filters.access_mode)
    if filters.payment_status is not None:
        query = query.where(Viewer.payment_status == filters.payment_status)
    if filters.access_verified is not None:
        query = query.where(Viewer.access_verified == (true() if filters.access_verified else false()))
    if filters.q:
        pattern = f"%{filters.q.lower()}%"
        query = query.where(or_(func.lower(Viewer.email).like(pattern), func.lower(Viewer.name).like(pattern)))
    return query


async def list_viewers(session: AsyncSession, event_id: str, filters: RegistrationFilter) -> tuple[list[Viewer], int]:
    total = await session.scalar(_filtered(select(func.count()).select_from(Viewer), event_id, filters))
    rows = await session.scalars(
        _filtered(select(Viewer), event_id, filters)
        .order_by(Viewer.first_join_at.desc(), Viewer.viewer_id.desc())
        .limit(filters.limit)
        .offset(filters.offset)
    )
    return list(rows), int(total or 0)


async def iter_viewers(
    session: AsyncSession, event_id: str, filters: RegistrationFilter, batch_size: int = 1000
) -> AsyncIterator[list[Viewer]]:
    """Every matching viewer in join order, a batch at a time (keyset on the time-ordered ULID)."""
    after = ""
    while True:
        batch = list(
            await session.scalars(
                _filtered(select(Viewer), event_id, filters)
                .where(Viewer.viewer_id > after)
                .order_by(Viewer.viewer_id)
                .limit(batch_size)
            )
        )
        if not batch:
            return
        yield batch
        after = batch[-1].viewer_id


# --- payment posture (written by the payments domain through viewers.service) ------------------


async def set_payment_outcome(
    session: AsyncSession,
    viewer_id: str,
    status: PaymentStatus,
    payment_id: str,
    payer_email: str | None = None,
) -> None:
    """Success makes the viewer a paying one on this payment (and gives an email-less row the payer's
    email); pending and failed never take access from one who paid."""
    query = update(Viewer).where(Viewer.viewer_id == viewer_id)
    if status == PaymentStatus.SUCCESS:
        email = func.coalesce(Viewer.email, payer_email) if payer_email else Viewer.email
        query = query.values(
            is_paid_viewer=True, payment_status=PaymentStatus.SUCCESS, payment_id=payment_id, email=email
        )
    else:
        query = query.where(Viewer.is_paid_viewer.is_(False)).values(payment_status=status)
    await session.execute(query.execution_options(synchronize_session=False))


async def rows_opened_by(session: AsyncSession, event_id: str, payment_id: str) -> list[str]:
    """The paying row and every row that copied its payment (by the payment, not by today's email, which
    a later registration may have changed)."""
    rows = await session.scalars(
        select(Viewer.viewer_id).where(
            Viewer.event_id == event_id, Viewer.payment_id == payment_id, Viewer.is_paid_viewer.is_(True)
        )
    )
    return list(rows)


async def revoke_payment(session: AsyncSession, viewer_ids: list[str]) -> int:
    if not viewer_ids:
        return 0
    result = await session.execute(
        update(Viewer)
        .where(Viewer.viewer_id.in_(viewer_ids), Viewer.is_paid_viewer.is_(True))
        .values(is_paid_viewer=False, payment_status=PaymentStatus.REFUNDED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def payment_funnel(session: AsyncSession, event_id: str) -> list[tuple[AccessType, PaymentStatus, int]]:
    """Viewers per (accessMode, paymentStatus): seed 000's on-call funnel."""
    rows = await session.execute(
        select(Viewer.access_mode, Viewer.payment_status, func.count())
        .where(Viewer.event_id == event_id)
        .group_by(Viewer.access_mode, Viewer.payment_status)
        .order_by(Viewer.access_mode, Viewer.payment_status)
    )
    return [(AccessType(mode), PaymentStatus(status), int(count)) for mode, status, count in rows]
