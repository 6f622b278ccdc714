"""What every payment provider does for us: open a checkout, describe a charge, refund, set up a sale.

Both providers speak Stripe's webhook dialect (signature scheme and payload shapes), so the webhook
handler is one code path whichever provider sent the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class ProviderError(Exception):
    """The provider refused or could not be reached. `retryable` is true for outages, not for refusals."""

    def __init__(self, message: str, *, code: str = "provider_error", retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.retryable = retryable


@dataclass(frozen=True)
class CheckoutRequest:
    payment_id: str
    event_id: str
    viewer_id: str
    title: str
    amount: int
    currency: str
    customer_email: str | None
    success_url: str
    cancel_url: str
    expires_at: datetime
    # Stripe: the event's provisioned Price (None: the amount is sent inline) and Product
    price_id: str | None = None
    product_id: str | None = None

    @property
    def metadata(self) -> dict[str, str]:
        """Put on the session and its payment intent, so every webhook names our payment."""
        return {"paymentId": self.payment_id, "eventId": self.event_id, "viewerId": self.viewer_id}


@dataclass(frozen=True)
class OpenedCheckout:
    session_id: str
    url: str
    expires_at: datetime
    payment_intent_id: str | None = None


@dataclass(frozen=True)
class ChargeDetails:
    receipt_url: str | None
    payment_method: str | None


@dataclass(frozen=True)
class ProviderRefund:
    refund_id: str
    status: str  # succeeded, pending or failed (Stripe's refund statuses)


@dataclass(frozen=True)
class SaleSetup:
    product_id: str
    price_id: str


@dataclass(frozen=True)
class SaleRequest:
    """One price of an offer: the offer's Product (made once, named `title`) and a Price for the amount."""

    event_id: str
    offer_id: str
    price_id: str
    title: str
    amount: int
    currency: str
    product_id: str | None


class PaymentProvider(Protocol):
    name: str

    def webhook_secret(self) -> str | None:
        """The secret webhooks of this provider are signed with (Stripe's `whsec_...`)."""
        ...

    async def create_checkout(self, request: CheckoutRequest) -> OpenedCheckout: ...

    async def charge_details(self, payment_intent_id: str) -> ChargeDetails: ...

    async def refund(
        self, *, payment_intent_id: str, amount: int, refund_id: str, payment_id: str, reason: str | None
    ) -> ProviderRefund: ...

    async def set_up_sale(self, request: SaleRequest) -> SaleSetup | None:
        """Provider-side objects a paid event needs before it sells (Stripe: Product and Price)."""
        ...

    async def rename_sale(self, product_id: str, title: str) -> None:
        """The provider's checkout shows the product's name: it follows the event's title."""
        ...
