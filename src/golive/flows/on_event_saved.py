"""An event was created or saved (events): its sale follows at the payment provider (commerce)."""

from __future__ import annotations

from golive.commerce import provider_sync
from golive.platform.context import AppContext


async def sync_sale(ctx: AppContext, event_id: str, price_changed: bool, renamed: bool = False) -> bool:
    return await provider_sync.prepare_sale(ctx, event_id, price_changed, renamed)
