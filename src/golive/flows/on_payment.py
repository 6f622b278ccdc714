"""A payment (commerce) changes what its payer may watch (access): a success holds a payment grant for the
paying browser (and for the account it was signed in with), a full refund revokes every grant the payment
made (the payer's, the account's, and those of the devices that proved the payer's email), each in the
ledger change's own unit of work."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import admission, entitlements, payment_posture
from golive.access.entitlements import GrantSpec
from golive.access.grant_models import REFUNDED, GrantSource, ScopeKind, SubjectKind
from golive.identity.accounts import sessions as account_sessions


async def grant_payment(
    session: AsyncSession, event_id: str, viewer_id: str, payment_id: str, payer_email: str | None
) -> None:
    await payment_posture.take_payer_email(session, viewer_id, payer_email)
    viewer = await admission.get_viewer(session, viewer_id)
    if viewer is None:
        return
    payers = [(SubjectKind.GUEST, viewer.client_viewer_id)]
    if viewer.account_session_id is not None:  # paid while signed in: the purchase is the account's too
        account_id = await account_sessions.account_of_session(session, viewer.account_session_id)
        if account_id is not None:
            payers.append((SubjectKind.ACCOUNT, account_id))
    for kind, subject_id in payers:
        spec = GrantSpec(
            subject_kind=kind,
            subject_id=subject_id,
            scope_kind=ScopeKind.EVENT,
            scope_id=event_id,
            source=GrantSource.PAYMENT,
            source_id=payment_id,
            created_by="system:on_payment",
        )
        await entitlements.hold(session, spec)


async def revoke_payment(session: AsyncSession, event_id: str, payment_id: str) -> None:
    await entitlements.revoke_source(session, GrantSource.PAYMENT, payment_id, REFUNDED)
