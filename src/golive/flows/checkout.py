"""An admitted viewer of a paid event (access) is shown their still-open checkout (commerce)."""

from __future__ import annotations

from golive.commerce import checkouts
from golive.platform.context import AppContext


async def open_checkout_url(ctx: AppContext, event_id: str, viewer_id: str) -> str | None:
    return await checkouts.open_checkout_url(ctx, event_id, viewer_id)
