"""Complimentary access: an admin gives an email address free access to an event, optionally until a date.

The admin's grant names the address (subject email); the person proves the address on any device with the
emailed code, and that device gets its own grant derived from the address's (source id = the address grant),
so revoking the address grant closes every device at once (`entitlements.revoke_grant`). Whatever the gate
and the price: a complimentary grant stands in for both (`decide.evaluate`).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.access import entitlements
from golive.access.entitlements import GrantSpec
from golive.access.forms import normalize_email
from golive.access.grant_models import Grant, GrantSource, ScopeKind, SubjectKind
from golive.audit.actor import Actor
from golive.email import service as email_service
from golive.email.templates import complimentary_access_email
from golive.events import service as events_service
from golive.platform.context import AppContext
from golive.platform.csv_export import stream_csv
from golive.platform.db import utcnow
from golive.platform.errors import NotFound, ValidationFailed
from golive.site.service import email_time_zone, local_time

COMPLIMENTARY_EMAIL = "complimentary_access"
REVOKED_REASON = "complimentary access withdrawn by an admin"


class GrantStatus(enum.StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class ComplimentaryGrant:
    """An address's complimentary grant as admins see it, with the devices that proved the address."""

    grant_id: str
    email: str
    valid_until: datetime | None
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    status: GrantStatus
    device_count: int

    @property
    def claimed(self) -> bool:
        return self.device_count > 0


def _status(grant: Grant, now: datetime) -> GrantStatus:
    if grant.revoked_at is not None:
        return GrantStatus.REVOKED
    if grant.valid_until is not None and grant.valid_until <= now:
        return GrantStatus.EXPIRED
    return GrantStatus.ACTIVE


def _shown(grant: Grant, device_count: int, now: datetime) -> ComplimentaryGrant:
    return ComplimentaryGrant(
        grant_id=grant.grant_id,
        email=grant.subject_id,
        valid_until=grant.valid_until,
        created_at=grant.created_at,
        created_by=grant.created_by,
        revoked_at=grant.revoked_at,
        status=_status(grant, now),
        device_count=device_count,
    )


def _address_filter(event_id: str) -> ColumnElement[bool]:
    return and_(
        Grant.subject_kind == SubjectKind.EMAIL,
        Grant.scope_kind == ScopeKind.EVENT,
        Grant.scope_id == event_id,
        Grant.source == GrantSource.COMPLIMENTARY,
    )


async def _held_by_address(session: AsyncSession, event_id: str, email: str) -> Grant | None:
    """The address's unrevoked grant (expired or not): the one a new grant renews."""
    return await session.scalar(
        select(Grant).where(_address_filter(event_id), Grant.subject_id == email, Grant.revoked_at.is_(None))
    )


async def _device_count(session: AsyncSession, grant_id: str) -> int:
    return len(await _derived(session, [grant_id]))


async def _derived(session: AsyncSession, grant_ids: list[str]) -> list[Grant]:
    if not grant_ids:
        return []
    rows = await session.scalars(
        select(Grant).where(
            Grant.subject_kind == SubjectKind.GUEST,
            Grant.source == GrantSource.COMPLIMENTARY,
            Grant.source_id.in_(grant_ids),
        )
    )
    return list(rows)


def _clean_email(value: str) -> str:
    try:
        return normalize_email(value)
    except ValueError as exc:
        raise ValidationFailed("The email address is not valid", fields={"email": str(exc)}) from exc


def _snapshot(grant: ComplimentaryGrant) -> dict[str, object]:
    return {
        "grantId": grant.grant_id,
        "email": grant.email,
        "validUntil": grant.valid_until.isoformat() if grant.valid_until else None,
        "status": grant.status.value,
    }


# --- admins: grant, list, revoke ---------------------------------------------------------------


async def grant_access(
    ctx: AppContext, event_id: str, email: str, valid_until: datetime | None, actor: Actor
) -> ComplimentaryGrant:
    """Gives the address free access (or renews its grant with the new end; one active grant per address),
    records it in the event's audit trail, then emails the person how to watch."""
    address = _clean_email(email)
    now = utcnow()
    if valid_until is not None and valid_until <= now:
        raise ValidationFailed(
            "The end of the access must be in the future", fields={"validUntil": "is not in the future"}
        )
    async with ctx.db.sessionmaker() as session:
        title = (await events_service.get_event(session, event_id)).title
        before = await _held_by_address(session, event_id, address)
        before_shown = _shown(before, 0, now) if before is not None else None
        spec = GrantSpec(
            SubjectKind.EMAIL,
            address,
            ScopeKind.EVENT,
            event_id,
            GrantSource.COMPLIMENTARY,
            None,
            f"{actor.kind}:{actor.id}",
            valid_until,
        )
        await entitlements.hold(session, spec)
        session.expire_all()
        held = await _held_by_address(session, event_id, address)
        assert held is not None  # just written, in this transaction
        if before is not None:  # a renewal: the devices that proved the address follow its new end
            await entitlements.renew_derived(session, held.grant_id, valid_until)
        shown = _shown(held, await _device_count(session, held.grant_id), now)
        audit.record(
            session,
            actor_type=actor.kind,
            actor_id=actor.id,
            action="access.complimentary.renew" if before is not None else "access.complimentary.grant",
            entity_type="event",
            entity_id=event_id,
            before=_snapshot(before_shown) if before_shown is not None else None,
            after=_snapshot(shown),
            ip_address=actor.ip,
        )
        await session.commit()
    await _send_invitation(ctx, event_id, title, address, valid_until)
    return shown


async def _send_invitation(
    ctx: AppContext, event_id: str, title: str, email: str, valid_until: datetime | None
) -> None:
    """A failed delivery does not undo the grant: it is in the email log, where an admin can resend it."""
    link = f"{ctx.settings.base_url}/e/{event_id}?{urlencode({'invite': email})}"
    until = local_time(valid_until, await email_time_zone(ctx)) if valid_until is not None else None
    content = complimentary_access_email(title=title, link=link, email=email, valid_until=until)
    outgoing = email_service.OutgoingEmail(to=email, email_type=COMPLIMENTARY_EMAIL, content=content, event_id=event_id)
    await email_service.send_email(ctx, outgoing)


async def list_grants(session: AsyncSession, event_id: str) -> list[ComplimentaryGrant]:
    """Every complimentary grant of the event (active, expired, revoked), newest first."""
    await events_service.get_event(session, event_id)
    rows = await entitlements.grants_on(
        session, ScopeKind.EVENT, event_id, GrantSource.COMPLIMENTARY, SubjectKind.EMAIL
    )
    devices = Counter(g.source_id for g in await _derived(session, [row.grant_id for row in rows]))
    now = utcnow()
    return [_shown(row, devices[row.grant_id], now) for row in rows]


CSV_HEADER = (
    "grantId",
    "email",
    "status",
    "validUntil",
    "createdAt",
    "createdBy",
    "revokedAt",
    "claimed",
    "deviceCount",
)


async def grants_csv(ctx: AppContext, event_id: str) -> tuple[str, AsyncIterator[str]]:
    async with ctx.db.sessionmaker() as session:
        grants = await list_grants(session, event_id)

    async def batches() -> AsyncIterator[list[list[object]]]:
        yield [
            [
                g.grant_id,
                g.email,
                g.status,
                g.valid_until,
                g.created_at,
                g.created_by,
                g.revoked_at,
                g.claimed,
                g.device_count,
            ]
            for g in grants
        ]

    return f"complimentary-{event_id}.csv", stream_csv(CSV_HEADER, batches())


async def revoke_access(ctx: AppContext, event_id: str, grant_id: str, actor: Actor) -> ComplimentaryGrant:
    """Revokes the address's grant and every device that proved it, at once. Revoking a revoked grant
    answers it again and changes nothing."""
    async with ctx.db.sessionmaker() as session:
        await events_service.get_event(session, event_id)
        grant = await session.scalar(select(Grant).where(_address_filter(event_id), Grant.grant_id == grant_id))
        if grant is None:
            raise NotFound("No such complimentary grant", code="grant_not_found", details={"grantId": grant_id})
        now = utcnow()
        if grant.revoked_at is not None:
            return _shown(grant, await _device_count(session, grant_id), now)
        before = _shown(grant, 0, now)
        await entitlements.revoke_grant(session, grant_id, REVOKED_REASON, now)
        session.expire_all()
        revoked = await session.get(Grant, grant_id)
        assert revoked is not None
        shown = _shown(revoked, await _device_count(session, grant_id), now)
        audit.record(
            session,
            actor_type=actor.kind,
            actor_id=actor.id,
            action="access.complimentary.revoke",
            entity_type="event",
            entity_id=event_id,
            before=_snapshot(before),
            after=_snapshot(shown),
            ip_address=actor.ip,
        )
        await session.commit()
    return shown


# --- viewers: the address proved on a device ---------------------------------------------------


async def address_grant(session: AsyncSession, event_id: str, email: str) -> Grant | None:
    """The address's complimentary grant on the event if it is active now (admission asks before it sends
    a code, and once the code is right)."""
    now = utcnow()
    grant = await _held_by_address(session, event_id, email)
    if grant is None or _status(grant, now) != GrantStatus.ACTIVE:
        return None
    return grant


async def claim(session: AsyncSession, invitation: Grant, client_viewer_id: str, viewer_id: str) -> None:
    """This device proved the address: its own grant, derived from the address's (in the caller's unit of
    work, with the admission it comes with)."""
    spec = GrantSpec(
        SubjectKind.GUEST,
        client_viewer_id,
        ScopeKind.EVENT,
        invitation.scope_id,
        GrantSource.COMPLIMENTARY,
        invitation.grant_id,
        f"viewer:{viewer_id}",
        invitation.valid_until,
    )
    await entitlements.hold(session, spec)
