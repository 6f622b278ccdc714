"""The local test provider: checkout sessions kept in our database, events in Stripe's shapes, signed with
Stripe's scheme and delivered over HTTP to our own /api/webhooks/local, exactly like a real provider.

Deliveries happen at once; one that fails is handed to a Huey job that retries it (the queue is on disk
or in Redis, so it survives restarts). Asynchronous test cards settle in a Huey job scheduled after a
delay, for the same reason.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx
import stripe
from sqlalchemy import select, update

from golive.commerce.local.cards import TestCard
from golive.commerce.models import LocalCheckoutSession, LocalSessionStatus
from golive.commerce.providers.base import (
    ChargeDetails,
    CheckoutRequest,
    OpenedCheckout,
    ProviderError,
    ProviderRefund,
    SaleRequest,
    SaleSetup,
)
from golive.platform.context import AppContext
from golive.platform.db import new_id, utcnow
from golive.platform.tokens import TokenSigner

log = logging.getLogger("golive.commerce.local")

LOCAL = "local"
CHECKOUT_PATH = "/pay/local"
DELIVERY_TIMEOUT_SECONDS = 10.0
USER_AGENT = "GoLive-LocalPayments/1.0 (+https://stripe.com/docs/webhooks)"


def webhook_secret_from(tokens: TokenSigner) -> str:
    """Derived from the app secret: only this installation can sign local payment events."""
    return "whsec_" + tokens.mac("payments.local-webhook", "v1")[:40]


def local_webhook_secret(ctx: AppContext) -> str:
    return webhook_secret_from(ctx.tokens)


def checkout_url(ctx: AppContext, session_id: str) -> str:
    return f"{ctx.settings.base_url}{CHECKOUT_PATH}/{session_id}"


def receipt_url(ctx: AppContext, charge_id: str) -> str:
    return f"{ctx.settings.base_url}{CHECKOUT_PATH}/receipts/{charge_id}"


# --- Stripe-shaped objects -----------------------------------------------------------------------


def stripe_event(event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"evt_local_{new_id()}",
        "object": "event",
        "api_version": stripe.api_version,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def session_object(session: LocalCheckoutSession, payment_status: str | None = None) -> dict[str, Any]:
    status = session.status.value
    return {
        "id": session.session_id,
        "object": "checkout.session",
        "amount_subtotal": session.amount,
        "amount_total": session.amount,
        "cancel_url": session.cancel_url,
        "client_reference_id": session.extra.get("paymentId"),
        "created": int(session.created_at.timestamp()),
        "currency": session.currency.lower(),
        "customer": None,
        "customer_details": {"email": session.customer_email} if session.customer_email else None,
        "customer_email": session.customer_email,
        "expires_at": int(session.expires_at.timestamp()),
        "livemode": False,
        "metadata": dict(session.extra),
        "mode": "payment",
        "payment_intent": session.payment_intent_id if session.status == LocalSessionStatus.COMPLETE else None,
        "payment_status": payment_status or ("paid" if session.payment_status == "paid" else "unpaid"),
        "status": status,
        "success_url": session.success_url,
        "url": None,
    }


def intent_object(session: LocalCheckoutSession, error: TestCard | None = None) -> dict[str, Any]:
    last_error = None
    if error is not None:
        last_error = {
            "type": "card_error",
            "code": error.code,
            "decline_code": error.decline_code,
            "message": error.message,
            # what Stripe Checkout puts on the declined card: the address the payer typed
            "payment_method": {
                "object": "payment_method",
                "type": "card",
                "billing_details": {"email": session.customer_email},
            },
        }
    return {
        "id": session.payment_intent_id,
        "object": "payment_intent",
        "amount": session.amount,
        "currency": session.currency.lower(),
        "latest_charge": session.charge_id,
        "last_payment_error": last_error,
        "livemode": False,
        "metadata": dict(session.extra),
        "status": "requires_payment_method" if error is not None else "succeeded",
    }


def charge_object(ctx: AppContext, session: LocalCheckoutSession, refund: dict[str, Any] | None) -> dict[str, Any]:
    charge_id = session.charge_id or ""
    return {
        "id": charge_id,
        "object": "charge",
        "amount": session.amount,
        "amount_captured": session.amount,
        "amount_refunded": session.amount_refunded,
        "currency": session.currency.lower(),
        "livemode": False,
        "metadata": dict(session.extra),
        "paid": True,
        "payment_intent": session.payment_intent_id,
        "payment_method_details": {
            "type": "card",
            "card": {"brand": session.card_brand, "last4": session.card_last4},
        },
        "receipt_email": session.customer_email,
        "receipt_url": receipt_url(ctx, charge_id),
        "refunded": session.amount_refunded >= session.amount,
        "refunds": {"object": "list", "data": [refund] if refund else [], "has_more": False},
        "status": "succeeded",
    }


# --- delivery ------------------------------------------------------------------------------------


def signed_delivery(ctx: AppContext, event: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The body and headers of one delivery, signed now (a retry hours later must not look stale)."""
    body = json.dumps(event, separators=(",", ":"))
    header = stripe.WebhookSignature.generate_signature_header(body, local_webhook_secret(ctx))
    headers = {"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": header, "User-Agent": USER_AGENT}
    return body, headers


async def deliver(ctx: AppContext, event: dict[str, Any]) -> bool:
    """One POST to the webhook endpoint; True when it answered 2xx."""
    body, headers = signed_delivery(ctx, event)
    target = ctx.settings.local_webhook_target
    try:
        async with httpx.AsyncClient(timeout=DELIVERY_TIMEOUT_SECONDS) as http:
            response = await http.post(target, content=body.encode(), headers=headers)
    except httpx.HTTPError as exc:
        log.warning("local payments: delivering %s %s to %s failed: %s", event["type"], event["id"], target, exc)
        return False
    if response.is_success:
        return True
    log.warning(
        "local payments: %s answered %s to %s %s: %s",
        target,
        response.status_code,
        event["type"],
        event["id"],
        response.text[:300],
    )
    return False


async def emit(ctx: AppContext, event: dict[str, Any]) -> None:
    """Delivers now; on failure a Huey job retries with backoff, like a provider's retries."""
    if await deliver(ctx, event):
        return
    from golive.commerce.tasks import enqueue_local_delivery

    enqueue_local_delivery(event)


# --- the provider --------------------------------------------------------------------------------


class LocalProvider:
    name = LOCAL

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx

    def webhook_secret(self) -> str | None:
        return local_webhook_secret(self._ctx)

    async def create_checkout(self, request: CheckoutRequest) -> OpenedCheckout:
        session = LocalCheckoutSession(
            session_id=f"cs_local_{new_id()}",
            payment_intent_id=f"pi_local_{new_id()}",
            amount=request.amount,
            currency=request.currency.upper(),
            description=request.title[:200],
            customer_email=request.customer_email,
            success_url=request.success_url,
            cancel_url=request.cancel_url,
            extra=request.metadata,
            status=LocalSessionStatus.OPEN,
            payment_status="unpaid",
            amount_refunded=0,
            created_at=utcnow(),
            expires_at=request.expires_at,
        )
        async with self._ctx.db.session() as db:
            db.add(session)
        return OpenedCheckout(
            session_id=session.session_id,
            url=checkout_url(self._ctx, session.session_id),
            expires_at=session.expires_at,
        )

    async def charge_details(self, payment_intent_id: str) -> ChargeDetails:
        async with self._ctx.db.sessionmaker() as db:
            session = await db.scalar(
                select(LocalCheckoutSession).where(LocalCheckoutSession.payment_intent_id == payment_intent_id)
            )
        if session is None or session.charge_id is None:
            return ChargeDetails(receipt_url=None, payment_method=None)
        method = f"{session.card_brand} •••• {session.card_last4}" if session.card_last4 else "card"
        return ChargeDetails(receipt_url=receipt_url(self._ctx, session.charge_id), payment_method=method)

    async def refund(
        self, *, payment_intent_id: str, amount: int, refund_id: str, payment_id: str, reason: str | None
    ) -> ProviderRefund:
        """Like Stripe: refused beyond what the charge has left; a charge.refunded event follows."""
        provider_refund_id = f"re_local_{new_id()}"
        async with self._ctx.db.session() as db:
            result = await db.execute(
                update(LocalCheckoutSession)
                .where(
                    LocalCheckoutSession.payment_intent_id == payment_intent_id,
                    LocalCheckoutSession.payment_status == "paid",
                    LocalCheckoutSession.amount_refunded + amount <= LocalCheckoutSession.amount,
                )
                .values(amount_refunded=LocalCheckoutSession.amount_refunded + amount)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                raise ProviderError(
                    "The charge has already been refunded, or has less left than asked", code="charge_already_refunded"
                )
            session = await db.scalar(
                select(LocalCheckoutSession).where(LocalCheckoutSession.payment_intent_id == payment_intent_id)
            )
        assert session is not None
        refund = {
            "id": provider_refund_id,
            "object": "refund",
            "amount": amount,
            "charge": session.charge_id,
            "currency": session.currency.lower(),
            "metadata": {"refundId": refund_id, "paymentId": payment_id, **({"reason": reason} if reason else {})},
            "payment_intent": payment_intent_id,
            "status": "succeeded",
        }
        await emit(self._ctx, stripe_event("charge.refunded", charge_object(self._ctx, session, refund)))
        return ProviderRefund(refund_id=provider_refund_id, status="succeeded")

    async def set_up_sale(self, request: SaleRequest) -> SaleSetup | None:
        return None  # nothing to provision: the local checkout is made from the payment's own amount

    async def rename_sale(self, product_id: str, title: str) -> None:
        return None  # the local checkout reads the event's title when it renders
