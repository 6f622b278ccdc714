"""Webhooks from the providers, refunds, and the admins' payment reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from golive.access import payment_posture
from golive.access.viewer_tokens import ViewerAuth
from golive.audit.actor import Actor
from golive.commerce import checkouts, provider_webhooks, refunds, reports
from golive.commerce.ledger import PaymentFilter
from golive.commerce.models import LedgerStatus
from golive.commerce.schemas import (
    CheckoutOut,
    CheckoutStart,
    ExportFormat,
    FunnelItem,
    FunnelReport,
    PaymentOut,
    ProviderName,
    RefundRequest,
    RevenueReport,
    WebhookAck,
    payment_out,
    revenue_item,
)
from golive.identity.staff.auth import AdminUser, Editor
from golive.platform.deps import ClientIp, Ctx, EventId, Session
from golive.platform.errors import ValidationFailed
from golive.platform.schemas import ErrorResponse, Page, json_response

router = APIRouter(tags=["payments"])

PaymentId = Annotated[str, Path(alias="paymentId", min_length=1, max_length=40)]

WEBHOOK_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The provider's event, exactly as sent (Stripe's event object); signed in Stripe-Signature",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON page, or with ?format=csv every matching payment as a CSV file",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.post(
    "/api/webhooks/{provider}",
    response_model=WebhookAck,
    openapi_extra=WEBHOOK_BODY,
    responses={
        400: {"model": ErrorResponse, "description": "Unsigned, tampered, stale or malformed event; nothing changed"},
        404: {"model": ErrorResponse, "description": "Unknown or unconfigured provider"},
    },
    description=(
        "Provider events (Stripe's signature scheme and payload shapes, for `stripe` and the built-in `local` "
        "provider alike). Idempotent on the event id and on the payment: replays answer `duplicate`."
    ),
)
async def receive_webhook(
    request: Request,
    ctx: Ctx,
    provider: Annotated[str, Path(min_length=1, max_length=40)],
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> Response:
    payload = await request.body()
    receipt = await provider_webhooks.receive_webhook(ctx, provider, payload, stripe_signature)
    return json_response(WebhookAck(received=True, event_id=receipt.event_id, outcome=receipt.outcome))


@router.post(
    "/api/events/{eventId}/checkout",
    response_model=CheckoutOut,
    responses={
        401: {"model": ErrorResponse, "description": "No viewer token, or an expired one"},
        403: {"model": ErrorResponse, "description": "The token is for another event, or its gate is not passed"},
        409: {
            "model": ErrorResponse,
            "description": "Already paid, not for sale, the price not on sale now or sold out, or no longer admitting",
        },
        422: {"model": ErrorResponse, "description": "A priceId that is not one of this event's"},
        503: {"model": ErrorResponse, "description": "The payment provider could not open a checkout"},
    },
)
async def start_checkout(
    event_id: EventId, viewer: ViewerAuth, ctx: Ctx, body: CheckoutStart | None = None
) -> Response:
    """The viewer chose to pay: their open checkout of this event, or a new one. Admission opens none,
    so the ledger holds only checkouts someone asked for; asking twice hands out the same one."""
    viewer.require_event(event_id)
    start = body or CheckoutStart()
    return_path = start.return_path
    if return_path is not None and not return_path.endswith(f"/{event_id}"):
        raise ValidationFailed(
            "The return page is not this event's", fields={"returnPath": f"must be /e/{event_id} or /embed/{event_id}"}
        )
    opened = await checkouts.open_checkout(ctx, event_id, viewer.viewer_id, return_path, start.price_id)
    return json_response(
        CheckoutOut(
            payment_id=opened.payment_id,
            price_id=opened.price_id,
            checkout_url=opened.url,
            expires_at=opened.expires_at,
        )
    )


@router.get("/api/payments", response_model=Page[PaymentOut], responses=CSV_RESPONSE)
async def list_payments(
    _: Editor,
    ctx: Ctx,
    session: Session,
    event_id: Annotated[str | None, Query(alias="eventId", min_length=1, max_length=64)] = None,
    status: Annotated[LedgerStatus | None, Query()] = None,
    provider: Annotated[ProviderName | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=254, description="part of the viewer's email, or a payment id")] = None,
    account_id: Annotated[
        str | None, Query(alias="accountId", min_length=1, max_length=64, description="what an audience account paid")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    format_: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.JSON,
) -> Response:
    """The ledger, newest first, filtered by event, status, provider, email or payment id, and account."""
    search = q.strip() if q else ""
    filters = PaymentFilter(
        event_id=event_id,
        status=status,
        provider=provider.value if provider else None,
        q=search or None,
        account_id=account_id,
        limit=limit,
        offset=offset,
    )
    if format_ == ExportFormat.CSV:
        return StreamingResponse(
            reports.payments_csv(ctx, filters),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="payments.csv"'},
        )
    views, total = await reports.list_payments(session, filters)
    page = Page[PaymentOut](items=[payment_out(v) for v in views], total=total, limit=limit, offset=offset)
    return json_response(page)


@router.get("/api/payments/revenue", response_model=RevenueReport)
async def revenue(
    _: Editor,
    session: Session,
    event_id: Annotated[str | None, Query(alias="eventId", min_length=1, max_length=64)] = None,
) -> Response:
    """Per event and currency: what succeeded payments brought in, what was refunded, and the net."""
    lines = await reports.revenue(session, event_id)
    return json_response(RevenueReport(items=[revenue_item(line) for line in lines]))


@router.get("/api/payments/{paymentId}", response_model=PaymentOut)
async def get_payment(payment_id: PaymentId, _: Editor, ctx: Ctx) -> Response:
    return json_response(payment_out(await reports.get_payment(ctx, payment_id)))


@router.post(
    "/api/payments/{paymentId}/refund",
    response_model=PaymentOut,
    responses={503: {"model": ErrorResponse, "description": "The provider could not be reached; nothing refunded"}},
)
async def refund_payment(
    payment_id: PaymentId, caller: AdminUser, ctx: Ctx, ip: ClientIp, body: RefundRequest | None = None
) -> Response:
    """Full (no amount) or partial refund through the provider; a full refund takes the viewer's access away.
    Admins and owners only."""
    request = body or RefundRequest()
    actor = Actor(kind="admin", id=caller.admin.admin_id, ip=ip)
    view = await refunds.refund_payment(ctx, payment_id, request.amount, request.reason, actor)
    return json_response(payment_out(view))


@router.get("/api/events/{eventId}/funnel", response_model=FunnelReport)
async def funnel(event_id: EventId, _: Editor, session: Session) -> Response:
    """Viewers of the event per access mode and payment status (seed 000's on-call funnel)."""
    rows = await payment_posture.payment_funnel(session, event_id)
    items = [FunnelItem(access_mode=mode, payment_status=status, viewers=count) for mode, status, count in rows]
    return json_response(FunnelReport(items=items, total=sum(item.viewers for item in items)))
