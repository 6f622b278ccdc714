"""Stripe through its official library: Products and Prices, Checkout Sessions, refunds, charge details.

Every call is async (the library's httpx client) and carries an idempotency key where a retry could
otherwise create a second object. GOLIVE_STRIPE_API_BASE points the library elsewhere (a test stand-in).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stripe

from golive.commerce.providers.base import (
    ChargeDetails,
    CheckoutRequest,
    OpenedCheckout,
    ProviderError,
    ProviderRefund,
    SaleRequest,
    SaleSetup,
)
from golive.platform.settings import Settings

# Outages worth retrying later; anything else is Stripe refusing what we asked.
RETRYABLE = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


def _provider_error(exc: stripe.StripeError) -> ProviderError:
    message = exc.user_message or str(exc) or type(exc).__name__
    return ProviderError(message, code=exc.code or "stripe_error", retryable=isinstance(exc, RETRYABLE))


def payment_method_label(details: dict[str, Any] | None) -> str | None:
    """A charge's payment_method_details as people read it: "visa •••• 4242", or the method type."""
    if not details:
        return None
    kind = str(details.get("type") or "")
    card = details.get(kind) if kind else None
    if isinstance(card, dict) and card.get("last4"):
        brand = str(card.get("brand") or kind)
        return f"{brand} •••• {card['last4']}"[:64]
    return kind[:64] or None


class StripeProvider:
    name = "stripe"

    def __init__(self, settings: Settings) -> None:
        if not settings.stripe_secret_key:
            raise ProviderError("Stripe is not configured (GOLIVE_STRIPE_SECRET_KEY)", code="provider_not_configured")
        base = {"api": settings.stripe_api_base.rstrip("/")} if settings.stripe_api_base else None
        self._secret = settings.stripe_webhook_secret or None
        self._client = stripe.StripeClient(
            settings.stripe_secret_key,
            base_addresses=base,  # type: ignore[arg-type]
            http_client=stripe.HTTPXClient(),
            max_network_retries=2,
        )

    def webhook_secret(self) -> str | None:
        return self._secret

    async def create_checkout(self, request: CheckoutRequest) -> OpenedCheckout:
        if request.price_id:
            line_item: dict[str, Any] = {"price": request.price_id, "quantity": 1}
        else:
            price_data: dict[str, Any] = {"currency": request.currency.lower(), "unit_amount": request.amount}
            if request.product_id:
                price_data["product"] = request.product_id
            else:
                price_data["product_data"] = {"name": request.title}
            line_item = {"price_data": price_data, "quantity": 1}
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [line_item],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "client_reference_id": request.payment_id,
            "metadata": request.metadata,
            "payment_intent_data": {"metadata": request.metadata},
            "expires_at": int(request.expires_at.timestamp()),
        }
        if request.customer_email:
            params["customer_email"] = request.customer_email
        try:
            session = await self._client.v1.checkout.sessions.create_async(
                params,  # type: ignore[arg-type]
                {"idempotency_key": f"golive-checkout-{request.payment_id}"},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        if not session.url:
            raise ProviderError("Stripe returned a checkout session without a URL", code="stripe_no_checkout_url")
        expires = datetime.fromtimestamp(session.expires_at, UTC) if session.expires_at else request.expires_at
        intent = session.payment_intent if isinstance(session.payment_intent, str) else None
        return OpenedCheckout(session_id=session.id, url=session.url, expires_at=expires, payment_intent_id=intent)

    async def charge_details(self, payment_intent_id: str) -> ChargeDetails:
        try:
            intent = await self._client.v1.payment_intents.retrieve_async(
                payment_intent_id, {"expand": ["latest_charge"]}
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        charge = intent.latest_charge
        if charge is None or isinstance(charge, str):
            return ChargeDetails(receipt_url=None, payment_method=None)
        details = charge.payment_method_details.to_dict() if charge.payment_method_details else None
        return ChargeDetails(receipt_url=charge.receipt_url, payment_method=payment_method_label(details))

    async def refund(
        self, *, payment_intent_id: str, amount: int, refund_id: str, payment_id: str, reason: str | None
    ) -> ProviderRefund:
        metadata = {"refundId": refund_id, "paymentId": payment_id}
        if reason:
            metadata["reason"] = reason[:500]
        try:
            refund = await self._client.v1.refunds.create_async(
                {"payment_intent": payment_intent_id, "amount": amount, "metadata": metadata},
                {"idempotency_key": f"golive-refund-{refund_id}"},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return ProviderRefund(refund_id=refund.id, status=refund.status or "pending")

    async def set_up_sale(self, request: SaleRequest) -> SaleSetup:
        """The offer's Product (made once) and a Price for the price's current amount and currency."""
        metadata = {"eventId": request.event_id, "offerId": request.offer_id}
        try:
            product_id = request.product_id
            if product_id is None:
                product = await self._client.v1.products.create_async(
                    {"name": request.title, "metadata": metadata},
                    {"idempotency_key": f"golive-product-{request.offer_id}"},
                )
                product_id = product.id
            price = await self._client.v1.prices.create_async(
                {
                    "product": product_id,
                    "unit_amount": request.amount,
                    "currency": request.currency.lower(),
                    "metadata": {**metadata, "priceId": request.price_id},
                },
                {"idempotency_key": f"golive-price-{request.price_id}-{request.amount}-{request.currency}"},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return SaleSetup(product_id=product_id, price_id=price.id)

    async def rename_sale(self, product_id: str, title: str) -> None:
        try:
            await self._client.v1.products.update_async(product_id, {"name": title})
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
