"""Grants on a real database: one active grant per (subject, scope, source), revocation by source."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from golive.access import entitlements
from golive.access.decide import Action, Reason, Subject, Target, decide
from golive.access.entitlements import GrantSpec
from golive.access.grant_models import Grant, GrantSource, ScopeKind, SubjectKind
from golive.events.models import AccessType, EventStatus
from golive.platform.context import AppContext
from golive.platform.db import utcnow

EVENT = "01EVENT0000000000000000000"


def spec(device: str, source: GrantSource, source_id: str, **extra: object) -> GrantSpec:
    return GrantSpec(SubjectKind.GUEST, device, ScopeKind.EVENT, EVENT, source, source_id, "test", **extra)  # type: ignore[arg-type]


async def test_holding_twice_keeps_one_active_grant_that_follows_the_newest_source(app_ctx: AppContext) -> None:
    until = utcnow() + timedelta(days=3)
    async with app_ctx.db.sessionmaker() as session:
        await entitlements.hold(session, spec("phone", GrantSource.GATE, "form"))
        await entitlements.hold(session, spec("phone", GrantSource.GATE, "email", valid_until=until))
        await session.commit()
        rows = list(await session.scalars(select(Grant)))
    assert len(rows) == 1
    assert (rows[0].source_id, rows[0].valid_until) == ("email", until)


async def test_parallel_holds_of_one_right_make_one_row(app_ctx: AppContext) -> None:
    async def hold() -> None:
        async with app_ctx.db.sessionmaker() as session:
            await entitlements.hold(session, spec("laptop", GrantSource.PAYMENT, "pay_1"))
            await session.commit()

    await asyncio.gather(*(hold() for _ in range(10)))
    async with app_ctx.db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Grant)) == 1


async def test_a_refund_revokes_every_device_the_payment_opened_and_nothing_else(app_ctx: AppContext) -> None:
    paid_event = Target(ScopeKind.EVENT, EVENT, EventStatus.LIVE, AccessType.EMAIL, requires_payment=True)
    async with app_ctx.db.sessionmaker() as session:
        for device in ("laptop", "phone", "tv"):
            await entitlements.hold(session, spec(device, GrantSource.GATE, "email"))
        for device in ("laptop", "phone"):
            await entitlements.hold(session, spec(device, GrantSource.PAYMENT, "pay_1"))
        await entitlements.hold(session, spec("tv", GrantSource.PAYMENT, "pay_2"))
        await session.commit()
        assert (await decide(session, Subject(guest_id="phone"), paid_event, Action.WATCH)).allowed

        revoked = await entitlements.revoke_source(session, GrantSource.PAYMENT, "pay_1", "refunded")
        await session.commit()
        assert sorted(grant.subject_id for grant in revoked) == ["laptop", "phone"]
        for device, reason in (("laptop", Reason.REVOKED), ("phone", Reason.REVOKED), ("tv", Reason.ALLOWED)):
            assert (await decide(session, Subject(guest_id=device), paid_event, Action.WATCH)).reason == reason

        # a revoked grant leaves room for a new one from a new payment
        await entitlements.hold(session, spec("phone", GrantSource.PAYMENT, "pay_3"))
        await session.commit()
        assert (await decide(session, Subject(guest_id="phone"), paid_event, Action.WATCH)).allowed


async def test_revoking_an_address_grant_revokes_the_devices_that_proved_it(app_ctx: AppContext) -> None:
    async with app_ctx.db.sessionmaker() as session:
        address = GrantSpec(
            SubjectKind.EMAIL, "ada@example.com", ScopeKind.EVENT, EVENT, GrantSource.COMPLIMENTARY, None, "admin:1"
        )
        await entitlements.hold(session, address)
        await session.commit()
        (made,) = await entitlements.grants_on(
            session, ScopeKind.EVENT, EVENT, GrantSource.COMPLIMENTARY, SubjectKind.EMAIL
        )
        await entitlements.hold(session, spec("phone", GrantSource.COMPLIMENTARY, made.grant_id))
        await entitlements.hold(session, spec("phone", GrantSource.GATE, "email"))
        await session.commit()

        revoked = await entitlements.revoke_grant(session, made.grant_id, "revoked by an admin")
        await session.commit()
        assert {(grant.subject_kind, grant.subject_id) for grant in revoked} == {
            (SubjectKind.EMAIL, "ada@example.com"),
            (SubjectKind.GUEST, "phone"),
        }
        gate = await session.scalar(select(Grant).where(Grant.source == GrantSource.GATE))
        assert gate is not None and gate.revoked_at is None


async def test_revoked_grants_stay_beside_the_one_active_grant_the_database_allows(app_ctx: AppContext) -> None:
    async with app_ctx.db.sessionmaker() as session:
        for payment in ("pay_1", "pay_2", "pay_3"):
            await entitlements.hold(session, spec("phone", GrantSource.PAYMENT, payment))
            await session.commit()
            await entitlements.revoke_source(session, GrantSource.PAYMENT, payment, "refunded")
            await session.commit()
        await entitlements.hold(session, spec("phone", GrantSource.PAYMENT, "pay_4"))
        await entitlements.hold(session, spec("phone", GrantSource.PAYMENT, "pay_5"))
        await session.commit()
        rows = await entitlements.grants_of(session, [(SubjectKind.GUEST, "phone")], ScopeKind.EVENT, EVENT)
    assert [(row.source_id, row.revoked_at is None) for row in rows] == [
        ("pay_1", False),
        ("pay_2", False),
        ("pay_3", False),
        ("pay_5", True),
    ]
