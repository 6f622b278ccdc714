"""An admitted viewer of a paid event (access) is shown their still-open checkout, and every viewer's payment
shows how their checkouts went (commerce's ledger)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from golive.commerce import checkouts, ledger
from golive.platform.context import AppContext


async def open_checkout_url(ctx: AppContext, event_id: str, viewer_id: str) -> str | None:
    return await checkouts.open_checkout_url(ctx, event_id, viewer_id)


def payment_attempts(event_id: str, viewer_id: str | None = None) -> Select[Any]:
    return ledger.checkout_outcomes(event_id, viewer_id)
