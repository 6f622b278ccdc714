"""GET /api/account/library: what the signed-in account may watch, and where each stands; the same list of any
account for its admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import library
from golive.access.decide import Subject
from golive.access.library import LibraryEntry, LibraryState
from golive.events.models import EventStatus, EventType
from golive.identity.accounts import admin as accounts_admin
from golive.identity.accounts.auth import SignedIn
from golive.identity.accounts.models import Account
from golive.identity.staff.auth import AdminUser
from golive.platform.deps import Session
from golive.platform.ratings import ContentRating
from golive.platform.schemas import CamelModel, Page, json_response

router = APIRouter(tags=["account"])


class LibraryItemOut(CamelModel):
    event_id: str
    title: str
    event_type: EventType
    status: EventStatus
    state: LibraryState
    starts_at: datetime | None
    valid_until: datetime | None
    acquired_at: datetime
    thumbnail_url: str | None
    paid: bool
    complimentary_grant_id: str | None = Field(
        description="The admin's free access this comes from, while it stands (what the console revokes)"
    )


def _item(entry: LibraryEntry) -> LibraryItemOut:
    event = entry.event
    return LibraryItemOut(
        event_id=event.event_id,
        title=event.title,
        event_type=event.event_type,
        status=event.status,
        state=entry.state,
        starts_at=event.scheduled_start,
        valid_until=entry.valid_until,
        acquired_at=entry.acquired_at,
        thumbnail_url=event.thumbnail_url,
        paid=entry.paid,
        complimentary_grant_id=entry.complimentary_grant_id,
    )


Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
AccountId = Annotated[str, Path(alias="accountId", min_length=1, max_length=64)]


async def _library(
    session: AsyncSession, account: Account, limit: int, offset: int, max_rating: ContentRating | None = None
) -> Response:
    """`max_rating`: the watching profile's limit (the console sees the account's whole library)."""
    verified = account.email if account.email_verified_at is not None else None
    subject = Subject(account_id=account.account_id, email=verified, max_rating=max_rating)
    entries, total = await library.library_page(session, subject, limit=limit, offset=offset)
    page = Page[LibraryItemOut](items=[_item(e) for e in entries], total=total, limit=limit, offset=offset)
    return json_response(page)


@router.get("/api/account/library", response_model=Page[LibraryItemOut])
async def my_library(caller: SignedIn, session: Session, limit: Limit = 24, offset: Offset = 0) -> Response:
    """Everything the account holds a right on (bought, registered, given), newest first."""
    return await _library(session, caller.account, limit, offset, caller.max_rating)


@router.get("/api/admin/accounts/{accountId}/library", response_model=Page[LibraryItemOut], tags=["accounts (admin)"])
async def account_library(
    account_id: AccountId, _: AdminUser, session: Session, limit: Limit = 24, offset: Offset = 0
) -> Response:
    """What an account holds, as it sees it in its library (admin role and above)."""
    return await _library(session, await accounts_admin.get(session, account_id), limit, offset)
