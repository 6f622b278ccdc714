"""Admins' routes over the audience's accounts (admin role and above)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from golive.identity.accounts import admin, profiles, sessions
from golive.identity.accounts.models import Account
from golive.identity.accounts.profile_schemas import profile_out
from golive.identity.accounts.schemas import AccountOut, AdminAccountOut, AdminAccountUpdate, account_out, session_out
from golive.identity.staff.auth import AdminUser
from golive.platform.deps import Session
from golive.platform.schemas import Page

router = APIRouter(prefix="/api/admin/accounts", tags=["accounts (admin)"])
AccountId = Annotated[str, Path(alias="accountId", min_length=1, max_length=64)]


async def _detail(session: Session, account: Account) -> AdminAccountOut:
    live = await sessions.live_sessions(session, account.account_id)
    people = await profiles.list_profiles(session, account.account_id)
    return AdminAccountOut(
        **account_out(account).model_dump(),
        sessions=[session_out(row, None) for row in live],
        profiles=[profile_out(row) for row in people],
    )


@router.get("", response_model=Page[AccountOut])
async def list_accounts(
    _: AdminUser,
    session: Session,
    q: Annotated[str | None, Query(max_length=254, description="part of the email or the name")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[AccountOut]:
    rows, total = await admin.search(session, q, limit, offset)
    return Page[AccountOut](items=[account_out(row) for row in rows], total=total, limit=limit, offset=offset)


@router.get("/{accountId}", response_model=AdminAccountOut)
async def get_account(account_id: AccountId, _: AdminUser, session: Session) -> AdminAccountOut:
    return await _detail(session, await admin.get(session, account_id))


@router.patch("/{accountId}", response_model=AdminAccountOut)
async def update_account(
    account_id: AccountId, body: AdminAccountUpdate, caller: AdminUser, session: Session
) -> AdminAccountOut:
    """Disabling signs the account out everywhere and refuses its sign-ins until it is enabled again."""
    account = await admin.get(session, account_id)
    await admin.set_status(session, account, body.status, admin_id=caller.admin.admin_id)
    return await _detail(session, account)


@router.delete("/{accountId}/sessions", status_code=status.HTTP_204_NO_CONTENT)
async def end_account_sessions(account_id: AccountId, caller: AdminUser, session: Session) -> Response:
    account = await admin.get(session, account_id)
    await admin.end_sessions(session, account, admin_id=caller.admin.admin_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
