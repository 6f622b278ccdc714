"""What the access domain asks of others through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Select

from golive.platform.context import AppContext
from golive.platform.hooks import Hook


class OpenCheckoutUrl(Protocol):
    async def __call__(self, ctx: AppContext, event_id: str, viewer_id: str) -> str | None:
        """The viewer's checkout of the event that is still open, if any; opens nothing."""
        ...


class PaymentAttempts(Protocol):
    def __call__(self, event_id: str, viewer_id: str | None = None) -> Select[Any]:
        """The checkout outcomes the event's viewers (or one viewer) are shown, as a query with the columns
        viewer_id, payment_status (a PaymentStatus value: pending or failed), attempted_at and payment_id.
        A query, not rows: the registrations list joins it into its own statement (filters, paging)."""
        ...


open_checkout_url: Hook[OpenCheckoutUrl] = Hook("access.open_checkout_url")
payment_attempts: Hook[PaymentAttempts] = Hook("access.payment_attempts")
