"""The admission hot path: admissions written together, each batch in one write with its gate grants.

On PostgreSQL one multi-row statement per shape through asyncpg's own pool (prepared per connection), which
also upserts the gate grants (verifying shapes) or reads the devices' grants (re-entry shapes); on SQLite one
transaction on its writer thread. Either way the answer costs no round trip of its own. A person's form
registration is written the same ways, in one hop (`person_writer`).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Awaitable, Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import CTE, ColumnElement, Connection, Select, bindparam, cast, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

from golive.access import entitlements
from golive.access.grant_models import HeldGrant
from golive.access.models import Viewer
from golive.access.repository import (
    ADMISSION_COLUMNS,
    RETURNED,
    AdmissionWrite,
    ViewerState,
    admission_params,
    admission_shape,
    admission_upsert,
    answered_by_its_write,
    gate_grant,
    held_gate_grant,
    viewer_state,
    with_grants,
)
from golive.platform.db import Database, new_id, utcnow
from golive.platform.errors import DatabaseUnavailable
from golive.platform.fastpath.batching import Coalescer
from golive.platform.fastpath.driver_sql import driver_sql

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
T = TypeVar("T")
# Joins written together: at most this many per statement, this many statements in flight (connections held).
ADMISSION_BATCH_MAX = 100
ADMISSION_BATCHES_IN_FLIGHT = 8
# the column a verifying admission's upsert changes (admission_shape): its statement holds the gate grants
VERIFYING_COLUMN = "access_verified"
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
    """One executemany upsert per shape (`_statements`; SQLAlchemy sends it as multi-row INSERTs with RETURNING,
    its "insertmanyvalues"), then the batch's gate grants in one executemany and the grants of the devices
    whose answer needs them in one read: all in the writer thread's transaction."""
    by_index: dict[int, ViewerState] = {}
    for changed, rows in _statements(admissions):
        result = connection.execute(
            admission_upsert("sqlite", changed), [admission_params(admissions[index]) for index in rows]
        )
        written = {(row.event_id, row.client_viewer_id): row._mapping for row in result}
        for index in rows:
            by_index[index] = viewer_state(written[(admissions[index].event_id, admissions[index].client_viewer_id)])
    states = [by_index[index] for index in range(len(admissions))]
    grants = _gate_grant_rows(admissions, states)
    if grants:
        connection.execute(entitlements.upsert_statement("sqlite"), list(grants.values()))
    reading = _devices_to_read(admissions)
    held = connection.execute(entitlements.guests_statement(*_as_sets(reading))) if reading else ()
    gates = {device: HeldGrant.of(row) for device, row in grants.items()}
    return _with_grants(admissions, states, gates, _by_device(HeldGrant.of(row._mapping) for row in held))


def _gate_grant_rows(
    admissions: list[AdmissionWrite], states: list[ViewerState]
) -> dict[tuple[str, str], dict[str, object]]:
    """The gate grant row of each (event, browser) that cleared its gate in this batch (the last admission wins)."""
    now = utcnow()
    rows: dict[tuple[str, str], dict[str, object]] = {}
    for admission, state in zip(admissions, states, strict=True):
        spec = gate_grant(admission, state.viewer_id)
        if spec is not None:
            rows[(admission.event_id, admission.client_viewer_id)] = entitlements.grant_row(spec, now)
    return rows


def _devices_to_read(
    admissions: list[AdmissionWrite], read: Collection[tuple[str, str]] = ()
) -> tuple[list[str], list[str]] | None:
    """The browsers and their events (aligned) whose grants the batch reads back: none when every answer
    stands on its write or its device's grants were `read` already."""
    needing = sorted(
        {
            (admission.client_viewer_id, admission.event_id)
            for admission in admissions
            if not answered_by_its_write(admission) and (admission.event_id, admission.client_viewer_id) not in read
        }
    )
    if not needing:
        return None
    return [browser for browser, _ in needing], [event for _, event in needing]


def _as_sets(devices: tuple[list[str], list[str]]) -> tuple[list[str], list[str]]:
    """SQLite reads by the sets of browsers and of events (IN lists): a few grants more, of devices not
    asked about, which `_by_device` leaves unread."""
    browsers, events = devices
    return sorted(set(browsers)), sorted(set(events))


def _by_device(held: Iterable[HeldGrant]) -> dict[tuple[str, str], list[HeldGrant]]:
    by_device: dict[tuple[str, str], list[HeldGrant]] = {}
    for grant in held:
        by_device.setdefault((grant.scope_id, grant.subject_id), []).append(grant)
    return by_device


def _with_grants(
    admissions: list[AdmissionWrite],
    states: list[ViewerState],
    gates: dict[tuple[str, str], HeldGrant],
    by_device: dict[tuple[str, str], list[HeldGrant]],
) -> list[ViewerState]:
    """Each state with the grants its answer stands on (`decide.evaluate`): the gate grant its write held, or its
    device's grants on its event (by (event, browser)) as read back."""
    answered = []
    for admission, state in zip(admissions, states, strict=True):
        device = (admission.event_id, admission.client_viewer_id)
        if answered_by_its_write(admission):
            answered.append(with_grants(state, (gates[device],)))
        else:
            answered.append(with_grants(state, tuple(by_device.get(device, ()))))
    return answered


async def _write_admissions_postgres(db: Database, admissions: list[AdmissionWrite]) -> list[ViewerState]:
    return await on_driver(db, partial(_upsert_rows, db.engine.dialect, admissions))


async def on_driver(db: Database, work: Callable[[asyncpg.Pool, float], Awaitable[T]]) -> T:
    """PostgreSQL: `work` on asyncpg's pool (with the pool's acquire deadline), retried once on a new connection
    when the server dropped them all (a restart); DatabaseUnavailable when it is down."""
    try:
        pool = await db.driver_pool()
    except DRIVER_DISCONNECTS as exc:  # the database is down: its pool cannot even open
        raise DatabaseUnavailable from exc
    wait = db.timeouts.pool_seconds
    try:
        return await work(pool, wait)
    # asyncpg's client-side DataError (a bad argument) is an InterfaceError too: a bug. A timeout (no free
    # connection, or no answer) is an OSError too, but retrying would only double the wait: the caller's 503.
    except (ValueError, TimeoutError):
        raise
    except DRIVER_DISCONNECTS:
        # A restart drops every pooled connection at once: have them all replaced, retry once on a new one.
        await pool.expire_connections()
    try:
        return await work(pool, wait)
    except (ValueError, TimeoutError):
        raise
    except DRIVER_DISCONNECTS as exc:
        raise DatabaseUnavailable from exc


async def _upsert_rows(
    dialect: Dialect, admissions: list[AdmissionWrite], pool: asyncpg.Pool, acquire_timeout: float
) -> list[ViewerState]:
    """One `INSERT ... SELECT FROM unnest(...)` per shape, each autocommitted (no BEGIN and COMMIT round trips): a
    verifying one upserts its gate grants in the same statement (a data-modifying CTE), a re-entry one reads
    its devices' grants in it. Then one read of the grants of the devices still without an answer (a paid
    event's verifying admissions)."""
    states: dict[int, ViewerState] = {}
    held_gates: dict[tuple[str, str], HeldGrant] = {}
    read: dict[tuple[str, str], list[HeldGrant]] = {}
    verifying = {(a.event_id, a.client_viewer_id) for a in admissions if a.verified}  # read again after their write
    at = utcnow()
    async with pool.acquire(timeout=acquire_timeout) as connection:
        for changed, rows in _statements(admissions):
            params = [admission_params(admissions[index]) for index in rows]
            statement = multirow_upsert(dialect, changed)
            arrays = upsert_arrays(statement, params, at)
            written: dict[tuple[str, str], asyncpg.Record] = {}
            found: dict[tuple[str, str], list[HeldGrant]] = {}
            for record in await connection.fetch(statement.sql, *arrays):
                device = (record["event_id"], record["client_viewer_id"])
                written[device] = record
                if not statement.holds_gates and device not in verifying:
                    grants = found.setdefault(device, [])
                    if record["h_grant_id"] is not None:
                        grants.append(entitlements.read_grant(record))
            read |= found  # a browser's later re-entry in the batch answers from its own statement
            for index, params_of_join in zip(rows, params, strict=True):
                admission = admissions[index]
                device = (admission.event_id, admission.client_viewer_id)
                states[index] = state = viewer_state(written[device])
                if statement.holds_gates and answered_by_its_write(admission):
                    held_gates[device] = held_gate(admission, state, params_of_join)
        reading = _devices_to_read(admissions, read)
        held = await connection.fetch(entitlements.driver_guests(dialect), *reading) if reading else []
    ordered = [states[index] for index in range(len(admissions))]
    return _with_grants(admissions, ordered, held_gates, _by_device(HeldGrant.of(r) for r in held) | read)


def held_gate(admission: AdmissionWrite, state: ViewerState, params: dict[str, Any]) -> HeldGrant:
    """The gate grant a verifying statement upserted for the row, as the values it sent."""
    grant = held_gate_grant(admission, state.viewer_id, params["g_at"], params["g_grant_id"])
    assert grant is not None  # a verifying admission holds its gate
    return grant


def upsert_arrays(statement: DriverStatement, params: list[dict[str, Any]], at: datetime) -> list[Any]:
    """The statement's arguments, an array per column from the rows' parameters (`admission_params`), which
    take the values of the grants part too: a verifying statement's gate grant ids (an array) and their one
    time `at` (a single value, `g_at`)."""
    for row in params:
        row["p_form_data"] = json.dumps(row["p_form_data"])  # jsonb as JSON text
        if statement.holds_gates:
            row |= {"g_grant_id": new_id(), "g_at": at}
    return [at if name == "g_at" else [row[name] for row in params] for name in statement.names]


def _statements(admissions: list[AdmissionWrite]) -> Iterator[tuple[tuple[str, ...], list[int]]]:
    """The admissions (by index) each statement writes: one shape per statement, since the shape picks the columns
    a conflict updates, and no browser twice, since ON CONFLICT cannot update a row twice in one statement.
    A browser's later admissions never go before its earlier ones."""
    remaining = list(range(len(admissions)))
    while remaining:
        shape = admission_shape(admissions[remaining[0]])
        taken: list[int] = []
        later: list[int] = []
        seen: set[tuple[str, str]] = set()
        for index in remaining:
            key = (admissions[index].event_id, admissions[index].client_viewer_id)
            if key in seen or admission_shape(admissions[index]) != shape:
                later.append(index)
            else:
                taken.append(index)
            seen.add(key)
        yield shape, taken
        remaining = later


@dataclass(frozen=True)
class DriverStatement:
    sql: str
    names: tuple[str, ...]
    holds_gates: bool  # it upserts its rows' gate grants (g_* parameters); else its rows carry the grants read (h_*)


_multirow_upserts: dict[tuple[str, ...], DriverStatement] = {}


def multirow_upsert(dialect: Dialect, changed: tuple[str, ...]) -> DriverStatement:
    """The upsert for many rows at once, one array parameter per column unnested into rows; a verifying one
    also upserts each row's gate grant (`entitlements.gate_grants_of`), any other returns each row once per
    grant its device holds on the event (`entitlements.with_held_grants`).
    Compiled once per shape by SQLAlchemy to PostgreSQL's $n SQL and its parameter order."""
    if changed not in _multirow_upserts:
        columns = Viewer.__table__.c
        arrays = [cast(bindparam(f"p_{name}"), postgresql.ARRAY(columns[name].type)) for name in ADMISSION_COLUMNS]
        rows = func.unnest(*arrays).table_valued(*ADMISSION_COLUMNS).render_derived()
        insert = postgresql.insert(Viewer).from_select(
            ADMISSION_COLUMNS, select(*(rows.c[n] for n in ADMISSION_COLUMNS))
        )
        upsert = insert.on_conflict_do_update(
            index_elements=[Viewer.event_id, Viewer.client_viewer_id],
            set_={name: insert.excluded[name] for name in changed},
        ).returning(*RETURNED)
        written = upsert.cte("written")
        holds_gates = VERIFYING_COLUMN in changed
        by_column = dict(zip(ADMISSION_COLUMNS, arrays, strict=True))
        statement = (
            _with_gates(written, by_column["event_id"], by_column["client_viewer_id"])
            if holds_gates
            else entitlements.with_held_grants(written)
        )
        compiled = driver_sql(statement, dialect)
        _multirow_upserts[changed] = DriverStatement(compiled.sql, compiled.names, holds_gates)
    return _multirow_upserts[changed]


def _with_gates(written: CTE, event_ids: ColumnElement[Any], browser_ids: ColumnElement[Any]) -> Select[Any]:
    """The rows a verifying upsert wrote; the same statement upserts their gate grants (a CTE nobody reads:
    PostgreSQL runs a data-modifying one to completion all the same), matched by the upsert's own arrays."""
    return select(written).add_cte(entitlements.gate_grants_of(written, event_ids, browser_ids).cte("gates"))
