"""Payments on the wire (camelCase): the ledger rows admins see, refunds, revenue, the viewer funnel."""

from __future__ import annotations

import enum
from datetime import datetime

from pydantic import Field

from golive.access.models import PaymentStatus
from golive.commerce.ledger import PaymentView, RevenueLine
from golive.commerce.models import LedgerStatus
from golive.events.models import AccessType
from golive.platform.schemas import CamelModel, InputModel


class ProviderName(enum.StrEnum):
    LOCAL = "local"
    STRIPE = "stripe"


class ExportFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"


class PaymentOut(CamelModel):
    payment_id: str
    event_id: str
    event_title: str
    viewer_id: str
    viewer_email: str | None
    provider: str
    amount: int = Field(description="minor units (cents)")
    refunded_amount: int = Field(description="minor units refunded so far")
    currency: str
    status: LedgerStatus
    payment_method: str | None
    receipt_url: str | None
    failure_reason: str | None
    initiated_at: datetime
    confirmed_at: datetime | None
    updated_at: datetime


def payment_out(view: PaymentView) -> PaymentOut:
    p = view.payment
    return PaymentOut(
        payment_id=p.payment_id,
        event_id=p.event_id,
        event_title=view.event_title,
        viewer_id=p.viewer_id,
        viewer_email=view.viewer_email,
        provider=p.provider,
        amount=p.amount,
        refunded_amount=p.refunded_amount,
        currency=p.currency,
        status=p.status,
        payment_method=p.payment_method,
        receipt_url=p.receipt_url,
        failure_reason=p.failure_reason,
        initiated_at=p.initiated_at,
        confirmed_at=p.confirmed_at,
        updated_at=p.updated_at,
    )


class CheckoutStart(InputModel):
    return_path: str | None = Field(
        default=None,
        pattern=r"^/(e|embed)/[A-Za-z0-9_-]{1,64}$",
        description="the page the checkout returns to: /e/{eventId} (default) or /embed/{eventId}",
    )
    price_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="the price the viewer chose (GET /api/events/{eventId}/prices); omitted: the first on sale now",
    )


class CheckoutOut(CamelModel):
    payment_id: str
    price_id: str | None = Field(description="the price this checkout charges")
    checkout_url: str = Field(description="the provider's checkout page; send the viewer there")
    expires_at: datetime | None


class RefundRequest(InputModel):
    amount: int | None = Field(
        default=None, gt=0, le=100_000_000, description="minor units; omitted: everything that remains"
    )
    reason: str | None = Field(default=None, min_length=1, max_length=500)


class RevenueItem(CamelModel):
    event_id: str
    event_title: str
    currency: str
    gross_amount: int = Field(description="succeeded payments (refunded ones included), minor units")
    refunded_amount: int
    net_amount: int
    succeeded_payments: int


def revenue_item(line: RevenueLine) -> RevenueItem:
    return RevenueItem(
        event_id=line.event_id,
        event_title=line.event_title,
        currency=line.currency,
        gross_amount=line.gross,
        refunded_amount=line.refunded,
        net_amount=line.gross - line.refunded,
        succeeded_payments=line.payments,
    )


class RevenueReport(CamelModel):
    items: list[RevenueItem]


class FunnelItem(CamelModel):
    access_mode: AccessType
    payment_status: PaymentStatus
    viewers: int


class FunnelReport(CamelModel):
    items: list[FunnelItem]
    total: int


class WebhookAck(CamelModel):
    received: bool
    event_id: str
    outcome: str = Field(
        description="applied, unchanged, duplicate (this event id was handled before), "
        "ignored (a type we do not act on) or unmatched (no payment of ours)"
    )
