"""The organiser's view of the audience's accounts: search, one account with its sessions, disable and
re-enable (a disabled account is signed out everywhere and cannot sign in), end its sessions."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.identity.accounts import sessions
from golive.identity.accounts.models import Account, AccountStatus
from golive.platform.db import utcnow
from golive.platform.errors import NotFound
from golive.platform.text_search import contains


async def search(session: AsyncSession, q: str | None, limit: int, offset: int) -> tuple[list[Account], int]:
    """Accounts whose email or name contains `q`, newest first."""
    where = or_(contains(Account.email, q), contains(Account.name, q)) if q and q.strip() else None
    listed = select(Account).order_by(Account.created_at.desc(), Account.account_id.desc())
    counted = select(func.count()).select_from(Account)
    if where is not None:
        listed, counted = listed.where(where), counted.where(where)
    rows = list(await session.scalars(listed.limit(limit).offset(offset)))
    return rows, int(await session.scalar(counted) or 0)


async def get(session: AsyncSession, account_id: str) -> Account:
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound("No such account", code="account_not_found")
    return account


async def set_status(session: AsyncSession, account: Account, status: AccountStatus, *, admin_id: str) -> Account:
    before = account.status
    if status != before:
        account.status = status
        account.updated_at = utcnow()
        if status == AccountStatus.DISABLED:
            await sessions.end_all(session, account.account_id)
        audit.record(
            session,
            actor_type="admin",
            actor_id=admin_id,
            action="account.disable" if status == AccountStatus.DISABLED else "account.enable",
            entity_type="account",
            entity_id=account.account_id,
            before={"status": before.value},
            after={"status": status.value},
        )
    await session.commit()
    return account


async def end_sessions(session: AsyncSession, account: Account, *, admin_id: str) -> None:
    await sessions.end_all(session, account.account_id)
    audit.record(
        session,
        actor_type="admin",
        actor_id=admin_id,
        action="account.sessions_ended",
        entity_type="account",
        entity_id=account.account_id,
    )
    await session.commit()
