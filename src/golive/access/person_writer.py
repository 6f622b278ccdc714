"""A person's form registration written in one hop (`admission._register_person`): one person is one
registration per event.

The hop: whether this device registered the address before, the upsert with its gate grant, the check that no
other device did, the person's answers on every device row, and the grants the answer stands on. On SQLite on
the writer thread, which takes parallel registrations of one address one at a time; through aiosqlite each
statement waited for a turn of the busy event loop while holding SQLite's write lock. On PostgreSQL in one
transaction on asyncpg's pool, the address's registrations taking turns on an advisory lock; through
SQLAlchemy's session each of its statements cost several times its round trip in Python.
"""

from __future__ import annotations

import json
from functools import cache, partial

import asyncpg
from sqlalchemy import Connection
from sqlalchemy.engine import Dialect

from golive.access import entitlements
from golive.access.admission_writer import held_gate, multirow_upsert, on_driver, upsert_arrays
from golive.access.grant_models import GrantFacts, HeldGrant
from golive.access.repository import (
    DEVICE_HOLDS_ADDRESS,
    OTHER_DEVICE,
    PERSON_ANSWERS,
    PERSON_LOCK,
    AdmissionWrite,
    ViewerState,
    admission_params,
    admission_shape,
    admission_upsert,
    answered_by_its_write,
    gate_grant,
    person_values,
    viewer_state,
    with_grants,
)
from golive.platform.db import Database, utcnow
from golive.platform.fastpath.driver_sql import DriverSql, driver_sql


class _AddressTaken(Exception):
    """Rolls the registration's transaction back: another device registered the address first."""


async def register_person(db: Database, admission: AdmissionWrite, email: str) -> ViewerState | None:
    """The registration's write and its answer's grants; None when another device holds the address
    (nothing is written)."""
    try:
        if db.engine.dialect.name == "sqlite":
            return await db.sqlite_writer.run(partial(_register_on_sqlite, admission, email))
        return await on_driver(db, partial(_register_on_postgres, db.engine.dialect, admission, email))
    except _AddressTaken:
        return None


def _register_on_sqlite(admission: AdmissionWrite, email: str, connection: Connection) -> ViewerState:
    values = person_values(admission, email)
    holds_it = connection.execute(DEVICE_HOLDS_ADDRESS, values).first() is not None
    upserted = admission_upsert("sqlite", admission_shape(admission))
    state = viewer_state(connection.execute(upserted, admission_params(admission)).one()._mapping)
    spec = gate_grant(admission, state.viewer_id)
    gate = entitlements.grant_row(spec) if spec is not None else None
    if gate is not None:
        connection.execute(entitlements.upsert_statement("sqlite"), gate)
    values["b_viewer_id"] = state.viewer_id
    if not holds_it and connection.execute(OTHER_DEVICE, values).first():
        raise _AddressTaken
    if holds_it:
        connection.execute(PERSON_ANSWERS[admission.name is not None], values)
    if gate is not None and answered_by_its_write(admission):
        return with_grants(state, (HeldGrant.of(gate),))
    held = connection.execute(entitlements.guests_statement([admission.client_viewer_id], [admission.event_id]))
    return with_grants(state, tuple(HeldGrant.of(row._mapping) for row in held))


@cache
def _statements(dialect: Dialect) -> dict[str, DriverSql]:
    answers = {f"answers_{named}": driver_sql(update, dialect) for named, update in PERSON_ANSWERS.items()}
    return {
        "lock": driver_sql(PERSON_LOCK, dialect),
        "holds": driver_sql(DEVICE_HOLDS_ADDRESS, dialect),
        "other": driver_sql(OTHER_DEVICE, dialect),
        **answers,
    }


async def _register_on_postgres(
    dialect: Dialect, admission: AdmissionWrite, email: str, pool: asyncpg.Pool, acquire_timeout: float
) -> ViewerState:
    sql = _statements(dialect)
    values = person_values(admission, email)
    at = utcnow()
    async with pool.acquire(timeout=acquire_timeout) as connection, connection.transaction():
        await connection.execute(sql["lock"].sql, *sql["lock"].args(values))
        holds_it = await connection.fetchval(sql["holds"].sql, *sql["holds"].args(values)) is not None
        statement = multirow_upsert(dialect, admission_shape(admission))
        params = [admission_params(admission)]
        records = await connection.fetch(statement.sql, *upsert_arrays(statement, params, at))
        state = viewer_state(records[0])
        values["b_viewer_id"] = state.viewer_id
        if not holds_it and await connection.fetchval(sql["other"].sql, *sql["other"].args(values)) is not None:
            raise _AddressTaken
        if holds_it:
            answers = sql[f"answers_{admission.name is not None}"]
            await connection.execute(
                answers.sql, *answers.args({**values, "b_form_data": json.dumps(values["b_form_data"])})
            )
        grants: tuple[GrantFacts, ...]
        if statement.holds_gates and answered_by_its_write(admission):
            grants = (held_gate(admission, state, params[0]),)
        elif not statement.holds_gates:  # a re-entry statement returns its row once per grant held
            grants = tuple(entitlements.read_grant(r) for r in records if r["h_grant_id"] is not None)
        else:
            held = await connection.fetch(
                entitlements.driver_guests(dialect), [admission.client_viewer_id], [admission.event_id]
            )
            grants = tuple(HeldGrant.of(row) for row in held)
    return with_grants(state, grants)
