"""What the commerce domain asks of others through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from golive.platform.hooks import Hook


class PaymentSucceeded(Protocol):
    async def __call__(
        self, session: AsyncSession, event_id: str, viewer_id: str, payment_id: str, payer_email: str | None
    ) -> None:
        """The payment's rights are held, in the ledger change's unit of work."""
        ...


class PaymentRefunded(Protocol):
    async def __call__(self, session: AsyncSession, event_id: str, payment_id: str) -> None:
        """A full refund: every right the payment made is revoked at once, in the refund's unit of work."""
        ...


payment_succeeded: Hook[PaymentSucceeded] = Hook("commerce.payment_succeeded")
payment_refunded: Hook[PaymentRefunded] = Hook("commerce.payment_refunded")
