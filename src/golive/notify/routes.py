"""The bell's API: the account's notifications, marking them read, their live stream, and email preferences."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sse_starlette import EventSourceResponse

from golive.identity.accounts.auth import AccountHolder, SignedIn
from golive.notify import service
from golive.notify.schemas import (
    MarkRead,
    NotificationPageOut,
    PreferencesOut,
    PreferencesUpdate,
    UnreadOut,
    notification_out,
    preferences_out,
)
from golive.notify.stream import notification_events
from golive.platform.deps import Ctx, Session

router = APIRouter(prefix="/api/account", tags=["account"])

STREAM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "Server-sent events: `unread` (data {unread}) at once and whenever the count changes, `notification` "
            "(data: a notification) for each new one, and `signed_out` (then the stream ends) once the session ends"
        ),
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get("/notifications", response_model=NotificationPageOut)
async def list_notifications(
    caller: SignedIn,
    session: Session,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    unread: Annotated[bool, Query(description="Only the unread ones")] = False,
) -> NotificationPageOut:
    """The account's notifications, newest first, with its unread count."""
    found = await service.page(session, caller.account.account_id, limit=limit, offset=offset, unread_only=unread)
    return NotificationPageOut(
        items=[notification_out(row) for row in found.items],
        total=found.total,
        limit=limit,
        offset=offset,
        unread=found.unread,
    )


@router.post("/notifications/read", response_model=UnreadOut)
async def mark_read(body: MarkRead, caller: SignedIn, session: Session) -> UnreadOut:
    """Marks the notifications named (or, with none named, all) read; answers the unread count left."""
    account_id = caller.account.account_id
    await service.mark_read(session, account_id, body.notification_ids)
    unread = await service.unread_count(session, account_id)
    await session.commit()
    return UnreadOut(unread=unread)


@router.get("/notifications/stream", response_class=EventSourceResponse, responses=STREAM_RESPONSE)
async def notification_stream(caller: SignedIn, ctx: Ctx) -> EventSourceResponse:
    """The bell's live feed (the browser's EventSource sends the account cookie)."""
    return EventSourceResponse(notification_events(ctx, caller.account.account_id, caller.session_id), ping=15)


@router.get("/notification-preferences", response_model=PreferencesOut)
async def get_preferences(caller: SignedIn, session: Session) -> PreferencesOut:
    return preferences_out(await service.preferences(session, caller.account.account_id))


@router.put("/notification-preferences", response_model=PreferencesOut)
async def put_preferences(body: PreferencesUpdate, caller: AccountHolder, session: Session) -> PreferencesOut:
    """Which optional emails the account wants (the fields sent change); transactional mail is always sent."""
    row = await service.set_preferences(
        session,
        caller.account.account_id,
        reminder_emails=body.reminder_emails,
        announcement_emails=body.announcement_emails,
    )
    await session.commit()
    return preferences_out(row)
