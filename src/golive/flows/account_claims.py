"""A sign-in (identity) names the browser it happened on; what that browser holds as a guest (access) becomes
the account's too: cleared gates, purchases and complimentary access, on every event."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import entitlements


async def claim_device_rights(session: AsyncSession, account_id: str, client_viewer_id: str) -> None:
    await entitlements.copy_to_account(session, client_viewer_id, account_id)
