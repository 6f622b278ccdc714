"""The SQL of the viewers domain: single-statement upserts, the email-code steps, the filtered list."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String, bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive.access import entitlements
from golive.access.entitlements import GrantSpec
from golive.access.grant_models import Grant, GrantFacts, GrantSource, HeldGrant, ScopeKind, SubjectKind
from golive.access.models import DeviceType, EmailCode, Viewer
from golive.events.models import AccessType
from golive.platform.db import new_id, utcnow


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
    # whether the event asks a price (the answer of a verifying admission of a free event needs no read)
    event_is_paid: bool
    email: str | None = None
    name: str | None = None
    form_data: dict[str, Any] | None = None


@dataclass(frozen=True)
class ViewerState:
    viewer_id: str
    client_viewer_id: str
    access_mode: AccessType
    access_verified: bool
    # the device's grants on the event, read in the admission's own write (None: not read there)
    grants: tuple[GrantFacts, ...] | None = None


@dataclass(frozen=True)
class CodeAttempt:
    code_id: str
    code_hash: str
    attempts: int


def _insert(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT exists on both backends with the same API; pick the running one's."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


# Every column a admission writes on insert; on conflict only some of them are copied onto the row.
ADMISSION_COLUMNS = (
    "viewer_id",
    "event_id",
    "client_viewer_id",
    "email",
    "name",
    "access_mode",
    "form_data",
    "access_verified",
    "device_type",
    "user_agent",
    "ip_address",
    "first_join_at",
    "last_join_at",
    "total_sessions",
    "total_watch_time",
    "created_at",
)
RETURNED = (
    Viewer.event_id,
    Viewer.viewer_id,
    Viewer.client_viewer_id,
    Viewer.access_mode,
    Viewer.access_verified,
)
_upserts: dict[tuple[str, tuple[str, ...]], Any] = {}


def admission_upsert(dialect: str, changed: tuple[str, ...]) -> Any:
    """Built once per shape with bound parameters, so a admission costs no statement construction."""
    key = (dialect, changed)
    if key not in _upserts:
        insert = _insert(dialect, Viewer)
        _upserts[key] = (
            insert.values({column: bindparam(f"p_{column}") for column in ADMISSION_COLUMNS})
            .on_conflict_do_update(
                index_elements=[Viewer.event_id, Viewer.client_viewer_id],
                set_={column: insert.excluded[column] for column in changed},
            )
            .returning(*RETURNED)
        )
    return _upserts[key]


def admission_shape(admission: AdmissionWrite) -> tuple[str, ...]:
    """The columns a conflicting admission copies onto the existing row.

    The IP address, device and first admission time are written once; every admission moves last_join_at;
    only a verifying admission changes the gate fields of an existing row.
    """
    changed = ["last_join_at"]
    if admission.verified:
        changed += ["access_verified", "access_mode"]
        changed += [c for c in ("email", "name", "form_data") if getattr(admission, c) is not None]
    return tuple(changed)


def admission_params(admission: AdmissionWrite) -> dict[str, Any]:
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
        "p_device_type": admission.device_type,
        "p_user_agent": admission.user_agent,
        "p_ip_address": admission.ip_address,
        "p_first_join_at": now,
        "p_last_join_at": now,
        "p_total_sessions": 0,
        "p_total_watch_time": 0,
        "p_created_at": now,
    }


def gate_grant(admission: AdmissionWrite, viewer_id: str) -> GrantSpec | None:
    """The gate grant a verifying admission holds for the browser (source id: the access type cleared),
    written in the same write as the admission record."""
    if not admission.verified:
        return None
    return GrantSpec(
        subject_kind=SubjectKind.GUEST,
        subject_id=admission.client_viewer_id,
        scope_kind=ScopeKind.EVENT,
        scope_id=admission.event_id,
        source=GrantSource.GATE,
        source_id=admission.access_mode.value,
        created_by=f"viewer:{viewer_id}",
    )


def answered_by_its_write(admission: AdmissionWrite) -> bool:
    """A verifying admission of a free event answers from the gate grant it holds: no other grant can change
    whether it may watch, and a free event shows no payment (the viewer app reads paymentStatus only while
    requiresPayment). Every other admission's answer reads the device's grants."""
    return admission.verified and not admission.event_is_paid


def viewer_state(row: Any, grants: tuple[GrantFacts, ...] | None = None) -> ViewerState:
    return ViewerState(
        viewer_id=row["viewer_id"],
        client_viewer_id=row["client_viewer_id"],
        access_mode=AccessType(row["access_mode"]),
        access_verified=row["access_verified"],
        grants=grants,
    )


def with_grants(state: ViewerState, grants: tuple[GrantFacts, ...]) -> ViewerState:
    """The state with the grants its answer stands on (a constructor call: dataclasses.replace costs more)."""
    return ViewerState(state.viewer_id, state.client_viewer_id, state.access_mode, state.access_verified, grants)


def held_gate_grant(
    admission: AdmissionWrite, viewer_id: str, now: datetime | None = None, grant_id: str | None = None
) -> HeldGrant | None:
    """The gate grant a verifying admission holds, as the values it writes. Where the browser held the gate
    already, the stored grant keeps its id and start, and takes this source and an open end: the same
    answer."""
    spec = gate_grant(admission, viewer_id)
    return entitlements.held_grant(spec, now or utcnow(), grant_id or new_id()) if spec is not None else None


async def upsert_viewer(connection: AsyncConnection, admission: AdmissionWrite) -> ViewerState:
    """One statement, one round trip: concurrent identical admissions leave exactly one row; a verifying
    one holds the browser's gate grant in the same unit of work."""
    statement = admission_upsert(connection.dialect.name, admission_shape(admission))
    row = (await connection.execute(statement, admission_params(admission))).one()
    viewer = viewer_state(row._mapping)
    spec = gate_grant(admission, viewer.viewer_id)
    if spec is not None:
        await entitlements.hold(connection, spec)
    return viewer


@dataclass(frozen=True)
class RegisteredDevice:
    """A person's device row, and the payment whose active grant opens the event to it (None: unpaid)."""

    viewer: Viewer
    payment_id: str | None


async def find_registrant(session: AsyncSession, event_id: str, email: str) -> RegisteredDevice | None:
    """The verified viewer of this event with this email (seed 000 GSI2: email + eventId): one whose device
    holds a payment grant first, so a later unpaid device never hides the payment; then the most recent."""
    paying = (
        select(Grant.source_id)
        .where(
            Grant.subject_kind == SubjectKind.GUEST,
            Grant.subject_id == Viewer.client_viewer_id,
            Grant.scope_kind == ScopeKind.EVENT,
            Grant.scope_id == Viewer.event_id,
            Grant.source == GrantSource.PAYMENT,
            Grant.revoked_at.is_(None),
        )
        .limit(1)
        .scalar_subquery()
    )
    row = (
        await session.execute(
            select(Viewer, paying)
            .where(Viewer.event_id == event_id, Viewer.email == email, Viewer.access_verified.is_(True))
            .order_by(case((paying.is_(None), 1), else_=0), Viewer.last_join_at.desc())
            .limit(1)
        )
    ).first()
    return RegisteredDevice(row[0], row[1]) if row is not None else None


async def get_viewer(session: AsyncSession, viewer_id: str) -> Viewer | None:
    return await session.get(Viewer, viewer_id)


async def link_account_session(session: AsyncSession, viewer_id: str, session_id: str) -> None:
    """Marks the browser's admission record as signed in with this account session (its latest sign-in)."""
    await session.execute(
        update(Viewer)
        .where(Viewer.viewer_id == viewer_id, Viewer.account_session_id.is_distinct_from(session_id))
        .values(account_session_id=session_id)
        .execution_options(synchronize_session=False)
    )


def person_lock_key(event_id: str, email: str) -> int:
    """PostgreSQL: registrations of one address in one event take turns on this transaction-scoped advisory
    lock, so the second sees the first's row. SQLite needs none: its writer thread takes them one at a time."""
    digest = hashlib.blake2b(f"registration:{event_id}:{email}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


PERSON_LOCK = select(func.pg_advisory_xact_lock(bindparam("b_key", type_=BigInteger())))
# The statements of a person's registration, built once, their values bound by name (b_: an UPDATE keeps the
# columns' own names): b_event_id, b_email, b_client_viewer_id (a device), b_viewer_id (its row), b_form_data
# and b_name (the answers).
DEVICE_HOLDS_ADDRESS = (
    select(Viewer.viewer_id)
    .where(
        Viewer.event_id == bindparam("b_event_id"),
        Viewer.client_viewer_id == bindparam("b_client_viewer_id"),
        Viewer.access_verified.is_(True),
        Viewer.email == bindparam("b_email"),
    )
    .limit(1)
)
# another device's row that already registered the address (a verified row with it)
OTHER_DEVICE = (
    select(Viewer.viewer_id)
    .where(
        Viewer.event_id == bindparam("b_event_id"),
        Viewer.email == bindparam("b_email"),
        Viewer.access_verified.is_(True),
        Viewer.viewer_id != bindparam("b_viewer_id"),
    )
    .limit(1)
)
_ANSWERS = update(Viewer).where(
    Viewer.event_id == bindparam("b_event_id"), Viewer.email == bindparam("b_email"), Viewer.access_verified.is_(True)
)
# the person's answers on every device row of theirs (a re-submission from a device that holds them), with
# the name or without one
PERSON_ANSWERS = {
    True: _ANSWERS.values(
        form_data=bindparam("b_form_data", type_=Viewer.__table__.c.form_data.type),
        name=bindparam("b_name", type_=String()),
    ),
    False: _ANSWERS.values(form_data=bindparam("b_form_data", type_=Viewer.__table__.c.form_data.type)),
}


def person_values(admission: AdmissionWrite, email: str) -> dict[str, Any]:
    """The values of the statements above for one registration (b_viewer_id: set once its row is written)."""
    return {
        "b_event_id": admission.event_id,
        "b_client_viewer_id": admission.client_viewer_id,
        "b_email": email,
        "b_viewer_id": "",
        "b_form_data": admission.form_data or {},
        "b_name": admission.name,
        "b_key": person_lock_key(admission.event_id, email),
    }


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


async def take_payer_email(session: AsyncSession, viewer_id: str, payer_email: str) -> None:
    """A row without an email of its own takes the payer's (in the payment's unit of work)."""
    await session.execute(
        update(Viewer)
        .where(Viewer.viewer_id == viewer_id, Viewer.email.is_(None))
        .values(email=payer_email)
        .execution_options(synchronize_session=False)
    )
