"""Helpers for payments tests: paid events, checkouts, and webhooks signed like the provider signs them."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import stripe
from sqlalchemy import func, select

from golive.access import payment_posture
from golive.access.models import PaymentStatus, Viewer
from golive.commerce.local.provider import local_webhook_secret
from golive.commerce.models import Payment
from golive.email.models import EmailMessage
from golive.platform.context import AppContext
from tests.support import AdminLogin, Factory, new_client_viewer_id

PRICE = 1200


async def paid_event(factory: Factory, owner: AdminLogin, **fields: Any) -> dict[str, Any]:
    body = {"isPaidEvent": True, "priceAmount": PRICE, "currency": "USD", **fields}
    return await factory.open_event(owner, **body)


async def checkout(factory: Factory, event_id: str, client_id: str | None = None, **body: Any) -> dict[str, Any]:
    """Admission of a paid event's viewer, then their "Pay": the answer, with the checkout to pay at."""
    response = await factory.register(event_id, client_id or new_client_viewer_id(), **body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    assert answer["requiresPayment"] is True and answer["token"], answer
    started = await pay(factory, event_id, answer["token"], body.get("returnPath"))
    assert started.status_code == 200, started.text
    return {**answer, "checkoutUrl": started.json()["checkoutUrl"]}


async def pay(factory: Factory, event_id: str, token: str, return_path: str | None = None) -> httpx.Response:
    """The viewer's "Pay" button: POST /api/events/{eventId}/checkout with their viewer token."""
    return await factory.http.post(
        f"/api/events/{event_id}/checkout",
        json={"returnPath": return_path} if return_path else None,
        headers={"Authorization": f"Bearer {token}"},
    )


async def opened_payment(
    factory: Factory, owner: AdminLogin, ctx: AppContext
) -> tuple[dict[str, Any], dict[str, Any], Payment]:
    """A new paid event, a viewer's admission to it (with their `clientViewerId`), and its open payment."""
    event = await paid_event(factory, owner)
    client_id = new_client_viewer_id()
    answer = {**await checkout(factory, event["eventId"], client_id), "clientViewerId": client_id}
    return event, answer, await only_payment(ctx, answer["viewerId"])


async def payments_of(ctx: AppContext, viewer_id: str) -> list[Payment]:
    async with ctx.db.sessionmaker() as session:
        rows = await session.scalars(
            select(Payment).where(Payment.viewer_id == viewer_id).order_by(Payment.initiated_at)
        )
        return list(rows)


async def only_payment(ctx: AppContext, viewer_id: str) -> Payment:
    rows = await payments_of(ctx, viewer_id)
    assert len(rows) == 1, rows
    return rows[0]


@dataclass(frozen=True)
class Device:
    """A viewer row's email and payment as the registrations list shows them (from its grants and the ledger)."""

    email: str | None
    is_paid_viewer: bool
    payment_status: PaymentStatus


async def viewer(ctx: AppContext, viewer_id: str) -> Device:
    async with ctx.db.sessionmaker() as session:
        row = await session.get(Viewer, viewer_id)
        assert row is not None
        device = payment_posture.Device(row.viewer_id, row.client_viewer_id)
        payment = await payment_posture.device_payment(session, row.event_id, device)
    return Device(row.email, payment.is_paid_viewer, payment.payment_status)


async def receipts_to(ctx: AppContext, email: str) -> int:
    async with ctx.db.sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(EmailMessage)
            .where(EmailMessage.recipient_email == email, EmailMessage.email_type == "payment_receipt")
        )
    return int(count or 0)


# --- a real purchase with the local provider ----------------------------------------------------

CARD = {"email": "ada@example.com", "cardNumber": "4242424242424242", "cardExpiry": "12/34", "cardCvc": "123"}


async def paid_viewer(
    factory: Factory,
    owner: AdminLogin,
    client: httpx.AsyncClient,
    admission: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A viewer who paid 12.00 USD with the local provider's success card (a real checkout); `admission`
    is what their gate takes (a password, say)."""
    event = await paid_event(factory, owner, **fields)
    client_id = new_client_viewer_id()
    answer = await checkout(factory, event["eventId"], client_id, **(admission or {}))
    paid = await client.post(urlsplit(answer["checkoutUrl"]).path, data=CARD)
    assert paid.status_code == 303, paid.text
    return {"event": event, "clientId": client_id, **answer}


async def refund(client: httpx.AsyncClient, admin: AdminLogin, payment_id: str, **body: Any) -> httpx.Response:
    return await client.post(f"/api/payments/{payment_id}/refund", json=body or None, headers=admin.headers)


# --- Stripe-shaped events, signed with the stripe library's own helper ---------------------------


def provider_event(event_type: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_test_{secrets.token_hex(10)}",
        "object": "event",
        "api_version": stripe.api_version,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "type": event_type,
    }


def checkout_session(payment: Payment, *, paid: bool = True, intent: str | None = None, **extra: Any) -> dict[str, Any]:
    metadata = {"paymentId": payment.payment_id, "eventId": payment.event_id, "viewerId": payment.viewer_id}
    return {
        "id": payment.provider_checkout_session_id,
        "object": "checkout.session",
        "amount_total": payment.amount,
        "currency": payment.currency.lower(),
        "client_reference_id": payment.payment_id,
        "customer_details": {"email": "payer@example.com"},
        "metadata": metadata,
        "mode": "payment",
        "payment_intent": intent or f"pi_test_{payment.payment_id[-12:]}",
        "payment_status": "paid" if paid else "unpaid",
        "status": "complete",
        **extra,
    }


def failed_intent(payment: Payment, intent: str | None = None) -> dict[str, Any]:
    return {
        "id": intent or f"pi_test_{payment.payment_id[-12:]}",
        "object": "payment_intent",
        "amount": payment.amount,
        "currency": payment.currency.lower(),
        "metadata": {"paymentId": payment.payment_id},
        "last_payment_error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."},
        "status": "requires_payment_method",
    }


def refunded_charge(payment: Payment, refunded: int, intent: str | None = None) -> dict[str, Any]:
    return {
        "id": f"ch_test_{secrets.token_hex(8)}",
        "object": "charge",
        "amount": payment.amount,
        "amount_refunded": refunded,
        "currency": payment.currency.lower(),
        "payment_intent": intent or payment.provider_payment_intent_id,
        "refunded": refunded >= payment.amount,
    }


def signed(event: dict[str, Any], secret: str, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return body.encode(), {"Stripe-Signature": header, "Content-Type": "application/json"}


async def send_local(client: httpx.AsyncClient, ctx: AppContext, event: dict[str, Any]) -> httpx.Response:
    """As the local provider sends it: signed with its secret, to /api/webhooks/local."""
    body, headers = signed(event, local_webhook_secret(ctx))
    return await client.post("/api/webhooks/local", content=body, headers=headers)
