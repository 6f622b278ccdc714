"""GET /api/account/library: what the signed-in account may watch, and where each stands."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from golive.access import library
from golive.access.decide import Subject
from golive.access.library import LibraryEntry, LibraryState
from golive.events.models import EventStatus, EventType
from golive.identity.accounts.auth import SignedIn
from golive.platform.deps import Session
from golive.platform.schemas import CamelModel, Page, json_response

router = APIRouter(prefix="/api/account", tags=["account"])


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
    )


@router.get("/library", response_model=Page[LibraryItemOut])
async def my_library(
    caller: SignedIn,
    session: Session,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Everything the account holds a right on (bought, registered, given), newest first."""
    account = caller.account
    verified = account.email if account.email_verified_at is not None else None
    subject = Subject(account_id=account.account_id, email=verified)
    entries, total = await library.library_page(session, subject, limit=limit, offset=offset)
    page = Page[LibraryItemOut](items=[_item(e) for e in entries], total=total, limit=limit, offset=offset)
    return json_response(page)
