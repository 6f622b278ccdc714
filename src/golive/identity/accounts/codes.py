"""Emailed one-time codes for accounts: issued, then spent once, with every guess counted before it is checked.

A code is stored as a keyed digest (a leaked table reveals no usable code). An address without an account
gets a decoy code nobody receives, so guesses at it are answered exactly like guesses at a real one.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive.identity.accounts.models import AccountCode, CodePurpose
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import Forbidden


def _digest(ctx: AppContext, email: str, purpose: CodePurpose, code: str) -> str:
    return ctx.tokens.mac("account-code", f"{purpose.value}:{email}:{code}")


def invalid_code() -> Forbidden:
    message = "This code is wrong or has expired; ask for a new one"
    return Forbidden(message, code="invalid_code", details={"fields": {"code": message}})


async def issue(ctx: AppContext, session: AsyncSession, email: str, purpose: CodePurpose, *, decoy: bool) -> str:
    """A new six-digit code for the address (earlier unspent ones of the purpose stop working)."""
    now = utcnow()
    await session.execute(
        update(AccountCode)
        .where(AccountCode.email == email, AccountCode.purpose == purpose, AccountCode.used_at.is_(None))
        .values(used_at=now)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    stored = _digest(ctx, email, purpose, secrets.token_hex(16) if decoy else code)
    minutes = ctx.settings.email_code_minutes
    session.add(
        AccountCode(
            email=email, purpose=purpose, code_hash=stored, expires_at=now + timedelta(minutes=minutes), created_at=now
        )
    )
    return code


async def spend(ctx: AppContext, session: AsyncSession, email: str, purpose: CodePurpose, code: str) -> None:
    """Spends the address's current code, or raises `invalid_code`. The guess is counted (and committed) before
    it is compared, by a conditional UPDATE, so parallel guesses never get more tries than the limit."""
    now = utcnow()
    current = await session.scalar(
        select(AccountCode)
        .where(
            AccountCode.email == email,
            AccountCode.purpose == purpose,
            AccountCode.used_at.is_(None),
            AccountCode.expires_at > now,
        )
        .order_by(AccountCode.created_at.desc())
        .limit(1)
    )
    if current is None:
        raise invalid_code()
    counted = await session.execute(
        update(AccountCode)
        .where(AccountCode.code_id == current.code_id, AccountCode.attempts < ctx.settings.email_code_max_attempts)
        .values(attempts=AccountCode.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    if getattr(counted, "rowcount", 0) != 1 or not secrets.compare_digest(
        current.code_hash, _digest(ctx, email, purpose, code)
    ):
        raise invalid_code()
    spent = await session.execute(
        update(AccountCode)
        .where(AccountCode.code_id == current.code_id, AccountCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(spent, "rowcount", 0) != 1:  # a parallel request spent it first
        raise invalid_code()
