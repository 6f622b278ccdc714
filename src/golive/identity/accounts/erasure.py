"""An account's own data: exported as JSON, and erased when the account is deleted.

Deletion removes the account, its profiles, its sessions and its codes, keeps the audit trail's entries (who did
what, when) with the personal fields erased, and has the email log's copies of its messages erased (a hook:
identity cannot import email). What the ledger must keep (payments, refunds) stays when accounts hold purchases.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.audit.service import erase_personal_data, list_for_entity
from golive.identity.accounts import profiles, service
from golive.identity.accounts.hooks import account_erased, exported_elsewhere
from golive.identity.accounts.models import Account, AccountCode, AccountSession
from golive.platform.context import AppContext
from golive.platform.errors import Unauthorized
from golive.platform.passwords import verify_password
from golive.platform.ratelimit import network_key

PERSONAL_FIELDS = {"email", "name"}


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def export(session: AsyncSession, account: Account) -> dict[str, Any]:
    """Everything kept about the account, as the person would read it."""
    sessions = await session.scalars(
        select(AccountSession)
        .where(AccountSession.account_id == account.account_id)
        .order_by(AccountSession.created_at)
    )
    trail = await list_for_entity(session, "account", account.account_id)
    return {
        "account": {
            "accountId": account.account_id,
            "email": account.email,
            "name": account.name,
            "hasPassword": account.password_hash is not None,
            "emailVerifiedAt": _when(account.email_verified_at),
            "status": account.status.value,
            "createdAt": _when(account.created_at),
            "lastLoginAt": _when(account.last_login_at),
        },
        "sessions": [
            {
                "sessionId": row.session_id,
                "createdAt": _when(row.created_at),
                "lastUsedAt": _when(row.last_used_at),
                "endedAt": _when(row.revoked_at),
                "ipAddress": row.ip_address,
                "userAgent": row.user_agent,
            }
            for row in sessions
        ],
        "profiles": [
            {
                "profileId": profile.profile_id,
                "name": profile.name,
                "isKids": profile.is_kids,
                "maxRating": profile.max_rating.value if profile.max_rating is not None else None,
                "language": profile.language,
                "preferences": profile.preferences,
                "hasPin": profile.pin_hash is not None,
                "hasAvatar": profile.avatar is not None,
                "createdAt": _when(profile.created_at),
            }
            for profile in await profiles.list_profiles(session, account.account_id)
        ],
        "activity": [
            {"action": entry.action, "at": _when(entry.timestamp), "ipAddress": entry.ip_address} for entry in trail
        ],
        **await exported_elsewhere.call(session, account.account_id),
    }


async def delete_account(
    ctx: AppContext, session: AsyncSession, account_id: str, *, password: str | None, ip: str
) -> None:
    """Deletes the signed-in account. One with a password must give it again (a session left open on a shared
    computer must not be enough); the attempt counts against the sign-in budget."""
    account = await session.get(Account, account_id)
    if account is None:
        raise Unauthorized("Your sign-in has expired; sign in again", code="session_expired")
    if account.password_hash is not None:
        settings = ctx.settings
        budgets = [
            (f"email:{account.email}:from:{network_key(ip)}", settings.login_max_failures),
            (f"ip:{network_key(ip)}", settings.login_max_attempts_per_ip),
        ]
        message = "Too many attempts; try again later"
        await ctx.limiter.acquire(service.LOGIN_SCOPE, budgets, settings.login_window_seconds, message)
        if not await asyncio.to_thread(verify_password, account.password_hash, password or ""):
            raise Unauthorized(
                "The password is wrong",
                code="invalid_credentials",
                details={"fields": {"password": "The password is wrong"}},
            )
    email = account.email
    await session.execute(delete(AccountCode).where(AccountCode.email == email))
    await session.execute(delete(AccountSession).where(AccountSession.account_id == account_id))
    await erase_personal_data(session, "account", account_id, PERSONAL_FIELDS)
    await account_erased.call(session, email)
    await session.delete(account)
    audit.record(
        session,
        actor_type="account",
        actor_id=account_id,
        action="account.delete",
        entity_type="account",
        entity_id=account_id,
    )
    await session.commit()
