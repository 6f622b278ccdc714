"""Grants: write, revoke, read. The only module that writes the `grants` table.

Writes run in the caller's unit of work (a flow commits the grant with whatever caused it: the
admission, the payment's ledger change, the admin's action).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Insert,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.selectable import LateralFromClause

from golive.access import revocations
from golive.access.grant_models import ACTIVE, Grant, GrantSource, HeldGrant, ScopeKind, SubjectKind
from golive.platform.db import new_id, utcnow
from golive.platform.fastpath.driver_sql import driver_sql

# the unique index of active grants (`uq_grants_active`), the conflict target of every upsert
ACTIVE_KEY = ("subject_kind", "subject_id", "scope_kind", "scope_id", "source", "active_key")


@dataclass(frozen=True)
class GrantSpec:
    """One right to hold: who, on what, from where, until when, made by whom."""

    subject_kind: SubjectKind
    subject_id: str
    scope_kind: ScopeKind
    scope_id: str
    source: GrantSource
    source_id: str | None
    created_by: str
    valid_until: datetime | None = None
    valid_from: datetime | None = None


async def grants_of(
    session: AsyncSession, subjects: Sequence[tuple[SubjectKind, str]], scope_kind: ScopeKind, scope_id: str
) -> list[Grant]:
    """Every grant (active, expired and revoked) the subjects hold on the scope: `decide` reads them all,
    so a refusal can say "revoked" or "expired" rather than only "no"."""
    if not subjects:
        return []
    who = or_(*(and_(Grant.subject_kind == kind, Grant.subject_id == sid) for kind, sid in subjects))
    rows = await session.scalars(
        select(Grant).where(who, Grant.scope_kind == scope_kind, Grant.scope_id == scope_id).order_by(Grant.created_at)
    )
    return list(rows)


def grant_row(spec: GrantSpec, now: datetime | None = None) -> dict[str, object]:
    """The row a spec writes (the parameters of `upsert_statement`)."""
    at = now or utcnow()
    return {
        "grant_id": new_id(),
        "subject_kind": spec.subject_kind.value,
        "subject_id": spec.subject_id,
        "scope_kind": spec.scope_kind.value,
        "scope_id": spec.scope_id,
        "source": spec.source.value,
        "source_id": spec.source_id,
        "valid_from": spec.valid_from or at,
        "valid_until": spec.valid_until,
        "created_by": spec.created_by,
        "created_at": at,
        "active_key": ACTIVE,
    }


def held_grant(spec: GrantSpec, now: datetime, grant_id: str) -> HeldGrant:
    """The grant a spec writes, as the values an answer reads (what `grant_row` writes, without a dict and its
    enums converted back)."""
    return HeldGrant(
        grant_id=grant_id,
        subject_kind=spec.subject_kind,
        subject_id=spec.subject_id,
        scope_kind=spec.scope_kind,
        scope_id=spec.scope_id,
        source=spec.source,
        source_id=spec.source_id,
        valid_from=spec.valid_from or now,
        valid_until=spec.valid_until,
        revoked_at=None,
        revoked_reason=None,
        created_by=spec.created_by,
        created_at=now,
    )


async def hold(connection: AsyncConnection | AsyncSession, spec: GrantSpec) -> None:
    """Holds the right, in one statement: the active grant of (subject, scope, source) is written or
    renewed in place (its source id follows the newest source; its end moves to the new one)."""
    dialect = connection.get_bind().dialect.name if isinstance(connection, AsyncSession) else connection.dialect.name
    await connection.execute(upsert_statement(dialect), grant_row(spec))


async def copy_to_account(session: AsyncSession, guest_id: str, account_id: str, *, event_id: str | None = None) -> int:
    """The browser's active rights (on one event, or all) become the account's as well: the same source, so
    a refund or an admin's revocation takes every copy, and the browser keeps its own (a guest who signs out
    is where it was). Held as `hold` holds, so doing it again changes nothing. Returns how many."""
    now = utcnow()
    which = [
        Grant.subject_kind == SubjectKind.GUEST,
        Grant.subject_id == guest_id,
        Grant.revoked_at.is_(None),
        or_(Grant.valid_until.is_(None), Grant.valid_until > now),
    ]
    if event_id is not None:
        which += [Grant.scope_kind == ScopeKind.EVENT, Grant.scope_id == event_id]
    held = list(await session.scalars(select(Grant).where(*which)))
    copies = {
        (grant.scope_kind, grant.scope_id, grant.source): grant_row(
            GrantSpec(
                SubjectKind.ACCOUNT,
                account_id,
                grant.scope_kind,
                grant.scope_id,
                grant.source,
                grant.source_id,
                created_by=f"system:account_claim:{grant.grant_id}",
                valid_until=grant.valid_until,
                valid_from=grant.valid_from,
            ),
            now,
        )
        for grant in held
    }
    if copies:
        await session.execute(upsert_statement(session.get_bind().dialect.name), list(copies.values()))
    return len(copies)


GRANT_COLUMNS = tuple(column.name for column in Grant.__table__.columns)
HELD_COLUMNS = tuple(column for column in GRANT_COLUMNS if column not in ("revoked_at", "revoked_reason"))
_upserts: dict[str, Insert] = {}


def upsert_statement(dialect: str) -> Insert:
    """The upsert of one active grant, its values bound by column name (the rows of `grant_row`); run with a
    list of rows it is one executemany (the admission writer's batches), whose rows must name distinct
    (subject, scope, source) keys. Built once per dialect, and a single-row statement, so SQLAlchemy's
    compiled cache holds it (a multi-row VALUES is compiled again on every call)."""
    if dialect not in _upserts:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(Grant).values({column: bindparam(column) for column in HELD_COLUMNS})
        _upserts[dialect] = statement.on_conflict_do_update(
            index_elements=list(ACTIVE_KEY),
            set_={"source_id": statement.excluded.source_id, "valid_until": statement.excluded.valid_until},
        )
    return _upserts[dialect]


def gate_grants_of(written: CTE, event_ids: ColumnElement[Any], browser_ids: ColumnElement[Any]) -> Insert:
    """PostgreSQL: the gate grant of every row a verifying admission upsert wrote (`written`, a CTE of its
    RETURNING), upserted by the same statement. Its rows are matched by the upsert's own event and browser
    arrays (`event_ids`, `browser_ids`, the same parameters: the driver encodes them once), aligned with an
    array `g_grant_id` of their grant ids; one `g_at` is their time. The gate cleared is the row's access
    mode. It returns nothing: the answer stands on the values written (`repository.held_gate_grant`)."""
    ids = (
        func.unnest(event_ids, browser_ids, cast(bindparam("g_grant_id"), postgresql.ARRAY(String)))
        .table_valued("event_id", "client_viewer_id", "grant_id")
        .render_derived(name="gate_ids")
    )
    at = cast(bindparam("g_at"), postgresql.TIMESTAMP(timezone=True))
    values = {
        "grant_id": ids.c.grant_id,
        "subject_kind": literal_column(f"'{SubjectKind.GUEST.value}'"),
        "subject_id": written.c.client_viewer_id,
        "scope_kind": literal_column(f"'{ScopeKind.EVENT.value}'"),
        "scope_id": written.c.event_id,
        "source": literal_column(f"'{GrantSource.GATE.value}'"),
        "source_id": written.c.access_mode,
        "valid_from": at,
        "valid_until": null(),
        "created_by": literal_column("'viewer:'", String) + written.c.viewer_id,
        "created_at": at,
        "active_key": literal_column(str(ACTIVE)),
    }
    rows = select(*(values[name] for name in HELD_COLUMNS)).select_from(
        written.join(
            ids, and_(ids.c.event_id == written.c.event_id, ids.c.client_viewer_id == written.c.client_viewer_id)
        )
    )
    insert = postgresql.insert(Grant).from_select(list(HELD_COLUMNS), rows)
    return insert.on_conflict_do_update(
        index_elements=list(ACTIVE_KEY),
        set_={"source_id": insert.excluded.source_id, "valid_until": insert.excluded.valid_until},
    )


def _device_grants(guest_id: ColumnElement[str], event_id: ColumnElement[str]) -> LateralFromClause:
    """PostgreSQL: a guest's grants on an event, for each row of a query (its browser and event columns): a
    LATERAL lookup, fenced with OFFSET 0 so the planner cannot flatten it into a join, so each row is one probe
    of the (subject, scope) index whatever the table's statistics say."""
    grants = Grant.__table__
    return (
        select(grants)
        .where(
            grants.c.subject_kind == literal_column(f"'{SubjectKind.GUEST.value}'"),
            grants.c.subject_id == guest_id,
            grants.c.scope_kind == literal_column(f"'{ScopeKind.EVENT.value}'"),
            grants.c.scope_id == event_id,
        )
        .offset(literal_column("0"))
        .lateral("held")
    )


def with_held_grants(written: CTE) -> Select[Any]:
    """PostgreSQL: the rows an admission upsert wrote (`written`, a CTE of its RETURNING), each once per grant its
    browser held on the event when the statement began (h_* columns; NULL for none), by `_device_grants`: a
    join on arrays of the batch's browsers let the planner scan every guest grant of the event while the
    table grew and its statistics lagged."""
    held = _device_grants(written.c.client_viewer_id, written.c.event_id)
    columns = (held.c[name].label(f"h_{name}") for name in GRANT_COLUMNS)
    return select(written, *columns).select_from(written.outerjoin(held, true()))


def read_grant(record: Mapping[str, Any]) -> HeldGrant:
    """A grant a `with_held_grants` statement returned beside its row (its h_* columns)."""
    return HeldGrant.of({name: record[f"h_{name}"] for name in GRANT_COLUMNS})


def guests_statement(guest_ids: Sequence[str], scope_ids: Sequence[str]) -> Select[Any]:
    """Every grant of these guests on these events (a batch of admissions answers from them)."""
    return select(Grant.__table__).where(
        Grant.subject_kind == SubjectKind.GUEST,
        Grant.subject_id.in_(list(guest_ids)),
        Grant.scope_kind == ScopeKind.EVENT,
        Grant.scope_id.in_(list(scope_ids)),
    )


@functools.cache
def driver_guests(dialect: Dialect) -> str:
    """PostgreSQL's SQL of the grants of these devices, for asyncpg: two aligned array parameters ($1 guests,
    $2 their events), each pair one probe of the index (`_device_grants`)."""
    devices = (
        func.unnest(
            cast(bindparam("guests"), postgresql.ARRAY(String)),
            cast(bindparam("events"), postgresql.ARRAY(String)),
        )
        .table_valued("guest_id", "event_id")
        .render_derived(name="devices")
    )
    held = _device_grants(devices.c.guest_id, devices.c.event_id)
    statement = select(*(held.c[name] for name in GRANT_COLUMNS)).select_from(devices.join(held, true()))
    compiled = driver_sql(statement, dialect)
    if compiled.names != ("guests", "events"):
        raise RuntimeError(f"unexpected parameter order {compiled.names}")
    return compiled.sql


async def revoke_source(
    session: AsyncSession, source: GrantSource, source_id: str, reason: str, now: datetime | None = None
) -> list[Grant]:
    """Revokes every active grant made by one source (a refunded payment: every device it opened)."""
    return await _revoke(session, and_(Grant.source == source, Grant.source_id == source_id), reason, now)


async def revoke_grant(session: AsyncSession, grant_id: str, reason: str, now: datetime | None = None) -> list[Grant]:
    """Revokes one grant and those derived from it (an address's complimentary grant and the devices
    that proved the address)."""
    derived = and_(Grant.source == GrantSource.COMPLIMENTARY, Grant.source_id == grant_id)
    return await _revoke(session, or_(Grant.grant_id == grant_id, derived), reason, now)


async def renew_derived(session: AsyncSession, grant_id: str, valid_until: datetime | None) -> None:
    """The active grants derived from one grant (the devices that proved a complimentary address) take
    its new end when it is renewed."""
    await session.execute(
        update(Grant)
        .where(
            Grant.source == GrantSource.COMPLIMENTARY,
            Grant.source_id == grant_id,
            Grant.revoked_at.is_(None),
        )
        .values(valid_until=valid_until)
    )


async def _revoke(session: AsyncSession, which: ColumnElement[bool], reason: str, now: datetime | None) -> list[Grant]:
    """Every revocation comes here: once the unit of work commits, every app instance hears of it
    (`revocations`), so no remembered check outlives the grant."""
    at = now or utcnow()
    rows = list(await session.scalars(select(Grant).where(which, Grant.revoked_at.is_(None))))
    if rows:
        await session.execute(
            update(Grant)
            .where(Grant.grant_id.in_([row.grant_id for row in rows]))
            .values(revoked_at=at, revoked_reason=reason[:200], active_key=None)
        )
        await revocations.announce(session, rows)
    return rows


async def source_active(session: AsyncSession, source: GrantSource, source_id: str) -> bool:
    """Whether a source still holds an active grant (a payment not refunded)."""
    found = await session.scalar(
        select(Grant.grant_id)
        .where(Grant.source == source, Grant.source_id == source_id, Grant.revoked_at.is_(None))
        .limit(1)
    )
    return found is not None


async def grants_on(
    session: AsyncSession, scope_kind: ScopeKind, scope_id: str, source: GrantSource, subject_kind: SubjectKind
) -> list[Grant]:
    """The grants of one source and kind of subject on a scope, newest first (the admin's lists)."""
    rows = await session.scalars(
        select(Grant)
        .where(
            Grant.scope_kind == scope_kind,
            Grant.scope_id == scope_id,
            Grant.source == source,
            Grant.subject_kind == subject_kind,
        )
        .order_by(Grant.created_at.desc(), Grant.grant_id.desc())
    )
    return list(rows)
