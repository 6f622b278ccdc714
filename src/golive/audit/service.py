"""Writing and reading the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.audit.models import AuditLog


def record(
    session: AsyncSession,
    *,
    actor_type: str,
    actor_id: str | None,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Adds an entry to the caller's unit of work, so it commits (or not) with the change it describes."""
    entry = AuditLog(
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        ip_address=ip_address,
    )
    session.add(entry)
    return entry


async def list_for_entity(session: AsyncSession, entity_type: str, entity_id: str) -> list[AuditLog]:
    result = await session.scalars(
        select(AuditLog)
        .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == entity_id)
        .order_by(AuditLog.timestamp.desc(), AuditLog.audit_id.desc())
        .limit(500)
    )
    return list(result)


ERASED = "[erased]"


async def erase_personal_data(session: AsyncSession, entity_type: str, entity_id: str, fields: set[str]) -> None:
    """Keeps the entity's trail (who did what, when) but erases the named fields of its before/after states and
    the addresses it was done from: a deleted account's email and name leave the log."""
    entries = await session.scalars(
        select(AuditLog).where(AuditLog.entity_type == entity_type, AuditLog.entity_id == entity_id)
    )
    for entry in entries:
        entry.before = _erased(entry.before, fields)
        entry.after = _erased(entry.after, fields)
        entry.ip_address = None


def _erased(state: dict[str, Any] | None, fields: set[str]) -> dict[str, Any] | None:
    if state is None:
        return None
    return {key: ERASED if key in fields else value for key, value in state.items()}
