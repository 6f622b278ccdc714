"""What the access domain asks of others through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from typing import Protocol

from golive.platform.context import AppContext
from golive.platform.hooks import Hook


class OpenCheckoutUrl(Protocol):
    async def __call__(self, ctx: AppContext, event_id: str, viewer_id: str) -> str | None:
        """The viewer's checkout of the event that is still open, if any; opens nothing."""
        ...


open_checkout_url: Hook[OpenCheckoutUrl] = Hook("access.open_checkout_url")
