"""A payment (commerce) changes what its payer may watch (access): a success holds a payment grant for the
paying browser (and for the account it was signed in with), a full refund revokes every grant the payment
made (the payer's, the account's, and those of the devices that proved the payer's email), each in the
ledger change's own unit of work; a signed-in payer's account gets the receipt in its notifications."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import admission, entitlements, payment_posture
from golive.access.entitlements import GrantSpec
from golive.access.grant_models import REFUNDED, GrantSource, ScopeKind, SubjectKind
from golive.commerce.models import Payment
from golive.commerce.money import format_amount
from golive.events.models import Event
from golive.identity.accounts import sessions as account_sessions
from golive.notify import service as notify
from golive.notify.models import NotificationType
from golive.notify.service import NewNotification


async def grant_payment(
    session: AsyncSession, event_id: str, viewer_id: str, payment_id: str, payer_email: str | None
) -> None:
    await payment_posture.take_payer_email(session, viewer_id, payer_email)
    viewer = await admission.get_viewer(session, viewer_id)
    if viewer is None:
        return
    payers = [(SubjectKind.GUEST, viewer.client_viewer_id)]
    account_id = None
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
    if account_id is not None:
        await _receipt(session, account_id, event_id, payment_id)


async def _receipt(session: AsyncSession, account_id: str, event_id: str, payment_id: str) -> None:
    """The bell's receipt (the emailed one goes to the payer's address, from commerce.receipts)."""
    payment = await session.get(Payment, payment_id)
    event = await session.get(Event, event_id)
    if payment is None or event is None:
        return
    paid = NewNotification(
        kind=NotificationType.PURCHASE_RECEIPT,
        title=f"Payment received: {event.title}",
        body=f"{format_amount(payment.amount, payment.currency)} paid. It is in your library, on every device.",
        link=f"/e/{event_id}",
        event_id=event_id,
        dedupe_key=f"paid:{payment_id}",
    )
    await notify.notify(session, account_id, paid)


async def revoke_payment(session: AsyncSession, event_id: str, payment_id: str) -> None:
    await entitlements.revoke_source(session, GrantSource.PAYMENT, payment_id, REFUNDED)
