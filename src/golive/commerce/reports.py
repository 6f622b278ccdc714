"""The admins' payment reports: one payment, the ledger (JSON pages and the CSV file), revenue."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from golive.commerce import ledger
from golive.commerce.ledger import PaymentFilter, PaymentView, RevenueLine
from golive.events import service as events_service
from golive.platform.context import AppContext
from golive.platform.csv_export import stream_csv
from golive.platform.errors import NotFound


async def get_payment(ctx: AppContext, payment_id: str) -> PaymentView:
    async with ctx.db.sessionmaker() as session:
        view = await ledger.get_payment_view(session, payment_id)
    if view is None:
        raise NotFound("No such payment", code="payment_not_found", details={"paymentId": payment_id})
    return view


async def list_payments(session: AsyncSession, filters: PaymentFilter) -> tuple[list[PaymentView], int]:
    return await ledger.list_payments(session, filters)


async def revenue(session: AsyncSession, event_id: str | None) -> list[RevenueLine]:
    if event_id is not None:
        await events_service.get_event(session, event_id)
    return await ledger.revenue(session, event_id)


CSV_COLUMNS = (
    "paymentId",
    "eventId",
    "eventTitle",
    "viewerId",
    "viewerEmail",
    "provider",
    "amount",
    "refundedAmount",
    "currency",
    "status",
    "paymentMethod",
    "receiptUrl",
    "failureReason",
    "initiatedAt",
    "confirmedAt",
    "updatedAt",
)


def csv_values(view: PaymentView) -> list[object]:
    p = view.payment
    return [
        p.payment_id,
        p.event_id,
        view.event_title,
        p.viewer_id,
        view.viewer_email,
        p.provider,
        p.amount,
        p.refunded_amount,
        p.currency,
        p.status,
        p.payment_method,
        p.receipt_url,
        p.failure_reason,
        p.initiated_at,
        p.confirmed_at,
        p.updated_at,
    ]


def payments_csv(ctx: AppContext, filters: PaymentFilter) -> AsyncIterator[str]:
    """Every matching payment (pagination ignored), newest first, the same columns as the JSON."""

    async def batches() -> AsyncIterator[list[list[object]]]:
        async with ctx.db.sessionmaker() as session:
            async for batch in ledger.iter_payments(session, filters):
                yield [csv_values(view) for view in batch]

    return stream_csv(CSV_COLUMNS, batches())
