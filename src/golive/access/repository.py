"""The SQL of the viewers domain: single-statement upserts, the email-code steps, the filtered list."""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import asyncpg
from sqlalchemy import Connection, bindparam, cast, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive.access.models import DeviceType, EmailCode, PaymentStatus, Viewer
from golive.events.models import AccessType
from golive.platform.db import Database, new_id, utcnow
from golive.platform.errors import DatabaseUnavailable
from golive.platform.fastpath.batching import Coalescer


@dataclass(frozen=True)
class AdmissionWrite:
    """What one admission call writes. Only a verifying admission changes the gate fields of an existing row."""

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
class CodeAttempt:
    code_id: str
    code_hash: str
    attempts: int


def _insert(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT exists on both backends with the same API; pick the running one's."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


# Every column a admission writes on insert; on conflict only some of them are copied onto the row.
_ADMISSION_COLUMNS = (
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
    """Built once per shape with bound parameters, so a admission costs no statement construction."""
    key = (dialect, changed)
    if key not in _upserts:
        insert = _insert(dialect, Viewer)
        _upserts[key] = (
            insert.values({column: bindparam(f"p_{column}") for column in _ADMISSION_COLUMNS})
            .on_conflict_do_update(
                index_elements=[Viewer.event_id, Viewer.client_viewer_id],
                set_={column: insert.excluded[column] for column in changed},
            )
            .returning(*_RETURNED)
        )
    return _upserts[key]


def _admission_shape(admission: AdmissionWrite) -> tuple[str, ...]:
    """The columns a conflicting admission copies onto the existing row.

    The IP address, device and first admission time are written once; every admission moves last_join_at;
    only a verifying admission changes the gate fields of an existing row.
    """
    changed = ["last_join_at"]
    if admission.verified:
        changed += ["access_verified", "access_mode"]
        changed += [c for c in ("email", "name", "form_data") if getattr(admission, c) is not None]
        if admission.paid_status is not None:
            changed += ["is_paid_viewer", "payment_status", "payment_id"]
    return tuple(changed)


def _admission_params(admission: AdmissionWrite) -> dict[str, Any]:
    """The statement's parameters: every column of a new row."""
    now = utcnow()
    return {
        "p_viewer_id": new_id(),
        "p_event_id": admission.event_id,
        "p_client_viewer_id": admission.client_viewer_id,
        "p_email": admission.email,
        "p_name": admission.name,
        "p_access_mode": admission.access_mode,
        "p_form_data": admission.form_data or {},
        "p_access_verified": admission.verified,
        "p_is_paid_viewer": admission.paid_status is not None,
        "p_payment_status": admission.paid_status or PaymentStatus.NONE,
        "p_payment_id": admission.payment_id,
        "p_device_type": admission.device_type,
        "p_user_agent": admission.user_agent,
        "p_ip_address": admission.ip_address,
        "p_first_join_at": now,
        "p_last_join_at": now,
        "p_total_sessions": 0,
        "p_total_watch_time": 0,
        "p_created_at": now,
    }


def _viewer_state(row: Any) -> ViewerState:
    return ViewerState(
        viewer_id=row["viewer_id"],
        access_mode=AccessType(row["access_mode"]),
        access_verified=row["access_verified"],
        is_paid_viewer=row["is_paid_viewer"],
        payment_status=PaymentStatus(row["payment_status"]),
    )


async def upsert_viewer(connection: AsyncConnection, admission: AdmissionWrite) -> ViewerState:
    """One statement, one round trip: concurrent identical admissions leave exactly one row."""
    statement = _upsert_statement(connection.dialect.name, _admission_shape(admission))
    row = (await connection.execute(statement, _admission_params(admission))).one()
    return _viewer_state(row._mapping)


# What asyncpg raises when the server or the network dropped the connection or refuses new ones for now (a
# restart, a failover, a full server).
DRIVER_DISCONNECTS = (
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.TooManyConnectionsError,
    OSError,
)
# Joins written together: at most this many per statement, this many statements in flight (connections held).
ADMISSION_BATCH_MAX = 100
ADMISSION_BATCHES_IN_FLIGHT = 8
_join_writers: weakref.WeakKeyDictionary[Database, Coalescer[AdmissionWrite, ViewerState]] = weakref.WeakKeyDictionary()


async def upsert_viewer_alone(db: Database, admission: AdmissionWrite) -> ViewerState:
    """The admission hot path: the upsert committed on its own, outside any unit of work.

    The admissions that arrive while earlier ones are being written are written together: on PostgreSQL one
    multi-row statement per batch (asyncpg's own pool, prepared per connection), on SQLite one transaction on
    its writer thread. A lone admission is written at once.
    """
    writer = _join_writers.get(db)
    if writer is None:
        flush = _write_admissions_sqlite if db.engine.dialect.name == "sqlite" else _write_admissions_postgres
        writer = Coalescer(
            partial(flush, db),
            concurrency=1 if db.engine.dialect.name == "sqlite" else ADMISSION_BATCHES_IN_FLIGHT,
            max_batch=ADMISSION_BATCH_MAX,
        )
        _join_writers[db] = writer
    return await writer.submit(admission)


async def _write_admissions_sqlite(db: Database, admissions: list[AdmissionWrite]) -> list[ViewerState]:
    return await db.sqlite_writer.run(partial(_upsert_each, admissions))


def _upsert_each(admissions: list[AdmissionWrite], connection: Connection) -> list[ViewerState]:
    """One upsert per admission, in order, in the writer thread's transaction."""
    states = []
    for admission in admissions:
        row = connection.execute(
            _upsert_statement("sqlite", _admission_shape(admission)), _admission_params(admission)
        ).one()
        states.append(_viewer_state(row._mapping))
    return states


async def _write_admissions_postgres(db: Database, admissions: list[AdmissionWrite]) -> list[ViewerState]:
    try:
        pool = await db.driver_pool()
    except DRIVER_DISCONNECTS as exc:  # the database is down: its pool cannot even open
        raise DatabaseUnavailable from exc
    wait = db.timeouts.pool_seconds
    try:
        return await _upsert_rows(pool, db.engine.dialect, admissions, wait)
    # asyncpg's client-side DataError (a bad argument) is an InterfaceError too: a bug. A timeout (no free
    # connection, or no answer) is an OSError too, but retrying would only double the wait: the caller's 503.
    except (ValueError, TimeoutError):
        raise
    except DRIVER_DISCONNECTS:
        # A restart drops every pooled connection at once: have them all replaced, retry once on a new one.
        await pool.expire_connections()
    try:
        return await _upsert_rows(pool, db.engine.dialect, admissions, wait)
    except (ValueError, TimeoutError):
        raise
    except DRIVER_DISCONNECTS as exc:
        raise DatabaseUnavailable from exc


async def _upsert_rows(
    pool: asyncpg.Pool, dialect: Dialect, admissions: list[AdmissionWrite], acquire_timeout: float
) -> list[ViewerState]:
    """One `INSERT ... SELECT FROM unnest(...)` per shape; each autocommitted, on one pooled connection."""
    states: dict[int, ViewerState] = {}
    async with pool.acquire(timeout=acquire_timeout) as connection:
        for changed, rows in _statements(admissions):
            params = [_admission_params(admissions[index]) for index in rows]
            for params_of_join in params:
                params_of_join["p_form_data"] = json.dumps(params_of_join["p_form_data"])  # jsonb as JSON text
            statement = _multirow_upsert(dialect, changed)
            arrays = [[p[name] for p in params] for name in statement.names]
            written = {
                (r["event_id"], r["client_viewer_id"]): r for r in await connection.fetch(statement.sql, *arrays)
            }
            for index in rows:
                states[index] = _viewer_state(written[(admissions[index].event_id, admissions[index].client_viewer_id)])
    return [states[index] for index in range(len(admissions))]


def _statements(admissions: list[AdmissionWrite]) -> Iterator[tuple[tuple[str, ...], list[int]]]:
    """The admissions (by index) each statement writes: one shape per statement, since the shape picks the columns
    a conflict updates, and no browser twice, since ON CONFLICT cannot update a row twice in one statement.
    A browser's later admissions never go before its earlier ones."""
    remaining = list(range(len(admissions)))
    while remaining:
        shape = _admission_shape(admissions[remaining[0]])
        taken: list[int] = []
        later: list[int] = []
        seen: set[tuple[str, str]] = set()
        for index in remaining:
            key = (admissions[index].event_id, admissions[index].client_viewer_id)
            if key in seen or _admission_shape(admissions[index]) != shape:
                later.append(index)
            else:
                taken.append(index)
            seen.add(key)
        yield shape, taken
        remaining = later


@dataclass(frozen=True)
class _DriverStatement:
    sql: str
    names: tuple[str, ...]


_multirow_upserts: dict[tuple[str, ...], _DriverStatement] = {}


def _multirow_upsert(dialect: Dialect, changed: tuple[str, ...]) -> _DriverStatement:
    """The upsert for many rows at once, one array parameter per column unnested into rows; compiled once
    per shape by SQLAlchemy to PostgreSQL's $n SQL and its parameter order."""
    if changed not in _multirow_upserts:
        columns = Viewer.__table__.c
        arrays = [cast(bindparam(f"p_{name}"), postgresql.ARRAY(columns[name].type)) for name in _ADMISSION_COLUMNS]
        rows = func.unnest(*arrays).table_valued(*_ADMISSION_COLUMNS).render_derived()
        insert = postgresql.insert(Viewer).from_select(
            _ADMISSION_COLUMNS, select(*(rows.c[n] for n in _ADMISSION_COLUMNS))
        )
        statement = insert.on_conflict_do_update(
            index_elements=[Viewer.event_id, Viewer.client_viewer_id],
            set_={name: insert.excluded[name] for name in changed},
        ).returning(Viewer.event_id, Viewer.client_viewer_id, *_RETURNED)
        compiled = statement.compile(dialect=dialect)
        assert compiled.positiontup is not None  # asyncpg's paramstyle is positional
        _multirow_upserts[changed] = _DriverStatement(compiled.string, tuple(compiled.positiontup))
    return _multirow_upserts[changed]


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


async def device_row(session: AsyncSession, event_id: str, client_viewer_id: str) -> Viewer | None:
    return await session.scalar(
        select(Viewer).where(Viewer.event_id == event_id, Viewer.client_viewer_id == client_viewer_id)
    )


async def lock_person(session: AsyncSession, event_id: str, email: str) -> None:
    """PostgreSQL: registrations of one address in one event take turns (a transaction-scoped advisory
    lock), so the second sees the first's row. SQLite needs none: its writers take turns already, and the
    caller writes before it checks, so the second writer's check sees the first's commit."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"registration:{event_id}:{email}".encode(), digest_size=8).digest()
    await session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, "big", signed=True))))


async def other_device_of(session: AsyncSession, event_id: str, email: str, viewer_id: str) -> bool:
    """Whether another device's row already registered this address (a verified row with it)."""
    found = await session.scalar(
        select(Viewer.viewer_id)
        .where(
            Viewer.event_id == event_id,
            Viewer.email == email,
            Viewer.access_verified.is_(True),
            Viewer.viewer_id != viewer_id,
        )
        .limit(1)
    )
    return found is not None


async def update_person_answers(
    session: AsyncSession, event_id: str, email: str, form_data: dict[str, Any], name: str | None
) -> None:
    """The person's answers, on every device row of theirs (a re-submission from a device that holds them)."""
    values: dict[str, Any] = {"form_data": form_data}
    if name is not None:
        values["name"] = name
    await session.execute(
        update(Viewer)
        .where(Viewer.event_id == event_id, Viewer.email == email, Viewer.access_verified.is_(True))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


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
