"""The payment columns of the admission records (is_paid_viewer, payment_status, payment_id), which the
registrations list, its CSV and the payment funnel still read; the commerce domain and flows/on_payment report
payment outcomes here, in their own unit of work. Whether a payment opens the event is the grants' (decide)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import repository
from golive.access.models import PaymentStatus
from golive.events import service as events_service
from golive.events.models import AccessType


async def record_payment_outcome(
    session: AsyncSession, viewer_id: str, status: PaymentStatus, payment_id: str, payer_email: str | None = None
) -> None:
    """In the caller's unit of work, so the viewer and the ledger change together. A viewer who gave no
    email of their own (anonymous, password) takes the checkout's: it is how they come back on a new device."""
    await repository.set_payment_outcome(session, viewer_id, status, payment_id, payer_email)


async def rows_opened_by(session: AsyncSession, event_id: str, payment_id: str) -> list[str]:
    """The paying viewer's row and the rows of their other devices that copied the payment."""
    return await repository.rows_opened_by(session, event_id, payment_id)


async def revoke_payment(session: AsyncSession, viewer_ids: list[str]) -> int:
    """A refunded payment no longer opens the event to these rows (in the caller's unit of work)."""
    return await repository.revoke_payment(session, viewer_ids)


async def payment_funnel(session: AsyncSession, event_id: str) -> list[tuple[AccessType, PaymentStatus, int]]:
    await events_service.get_event(session, event_id)
    return await repository.payment_funnel(session, event_id)
