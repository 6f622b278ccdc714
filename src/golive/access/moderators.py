"""The people an admin names to moderate an event's chat: a moderator grant on their email address.

The grant names the address (subject email), so the person moderates from any device once signed in with an
account that proved it; `decide` reads it like any other grant (Action.MODERATE). Staff moderate every chat
without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.access import entitlements
from golive.access.entitlements import GrantSpec
from golive.access.forms import normalize_email
from golive.access.grant_models import Grant, GrantSource, ScopeKind, SubjectKind
from golive.audit.actor import Actor
from golive.events import service as events_service
from golive.platform.errors import NotFound, ValidationFailed

REMOVED_REASON = "moderator removed by an admin"


@dataclass(frozen=True)
class Moderator:
    grant_id: str
    email: str
    created_at: datetime
    created_by: str


def _shown(grant: Grant) -> Moderator:
    return Moderator(grant.grant_id, grant.subject_id, grant.created_at, grant.created_by)


def _clean_email(value: str) -> str:
    try:
        return normalize_email(value)
    except ValueError as exc:
        raise ValidationFailed("The email address is not valid", fields={"email": str(exc)}) from exc


async def moderators(session: AsyncSession, event_id: str) -> list[Moderator]:
    """The event's named moderators now, newest first."""
    await events_service.get_event(session, event_id)
    rows = await entitlements.grants_on(session, ScopeKind.EVENT, event_id, GrantSource.MODERATOR, SubjectKind.EMAIL)
    return [_shown(row) for row in rows if row.revoked_at is None]


async def name_moderator(session: AsyncSession, event_id: str, email: str, actor: Actor) -> Moderator:
    """Names the address (naming it again changes nothing), in the event's audit trail."""
    address = _clean_email(email)
    await events_service.get_event(session, event_id)
    spec = GrantSpec(
        SubjectKind.EMAIL,
        address,
        ScopeKind.EVENT,
        event_id,
        GrantSource.MODERATOR,
        None,
        f"{actor.kind}:{actor.id}",
    )
    await entitlements.hold(session, spec)
    session.expire_all()
    grant = await _active(session, event_id, Grant.subject_id == address)
    assert grant is not None  # just written, in this transaction
    _audit(session, actor, "chat.moderator.name", event_id, None, address)
    return _shown(grant)


async def remove_moderator(session: AsyncSession, event_id: str, grant_id: str, actor: Actor) -> None:
    await events_service.get_event(session, event_id)
    grant = await _active(session, event_id, Grant.grant_id == grant_id)
    if grant is None:
        raise NotFound("No such moderator", code="moderator_not_found", details={"moderatorId": grant_id})
    await entitlements.revoke_grant(session, grant_id, REMOVED_REASON)
    _audit(session, actor, "chat.moderator.remove", event_id, grant.subject_id, None)


async def _active(session: AsyncSession, event_id: str, which: ColumnElement[bool]) -> Grant | None:
    return await session.scalar(
        select(Grant).where(
            Grant.subject_kind == SubjectKind.EMAIL,
            Grant.scope_kind == ScopeKind.EVENT,
            Grant.scope_id == event_id,
            Grant.source == GrantSource.MODERATOR,
            Grant.revoked_at.is_(None),
            which,
        )
    )


def _audit(
    session: AsyncSession, actor: Actor, action: str, event_id: str, before: str | None, after: str | None
) -> None:
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action=action,
        entity_type="event",
        entity_id=event_id,
        before={"moderator": before} if before else None,
        after={"moderator": after} if after else None,
        ip_address=actor.ip,
    )
