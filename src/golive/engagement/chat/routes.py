"""The chat of an event: the socket viewers and moderators join, and the REST side for staff and integrations
(settings, moderation, the queue, the log, moderators and the transcript)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, WebSocket, status
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import moderators as moderators_service
from golive.audit.actor import Actor
from golive.engagement.chat import moderation, service, socket
from golive.engagement.chat.frames import message_out, report_out, restriction_out, room_out
from golive.engagement.chat.hub import ChatHub
from golive.engagement.chat.models import ReportStatus, RestrictionKind
from golive.engagement.chat.moderation import Moderated, RoomChanges
from golive.engagement.chat.people import staff_person
from golive.engagement.chat.schemas import (
    ChatMessageOut,
    ChatReportOut,
    ChatSettingsOut,
    ChatSettingsUpdate,
    ModerationEntryOut,
    ModerationReason,
    ModeratorCreate,
    ModeratorOut,
    PersonAction,
    PinUpdate,
    ReportVerdict,
    RestrictionCreate,
    RestrictionOut,
)
from golive.events import service as events_service
from golive.identity.staff.auth import AdminUser, Editor
from golive.identity.staff.service import AuthenticatedAdmin
from golive.platform.context import AppContext
from golive.platform.csv_export import ExportFormat
from golive.platform.deps import ClientIp, Ctx, EventId, Session
from golive.platform.errors import ValidationFailed
from golive.platform.schemas import ItemList

router = APIRouter(prefix="/api/events/{eventId}/chat", tags=["chat"])

MessageId = Annotated[int, Path(alias="messageId", ge=1, le=2**62)]
ReportId = Annotated[str, Path(alias="reportId", min_length=1, max_length=40)]
PersonId = Annotated[str, Path(alias="personId", min_length=3, max_length=40)]
ModeratorId = Annotated[str, Path(alias="moderatorId", min_length=1, max_length=40)]
TRANSCRIPT_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Every message (shown, held, deleted) in order, or with ?format=csv a CSV file",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def hub_of(app: Any) -> ChatHub:
    hub: ChatHub = app.state.chat
    return hub


@router.websocket("/ws")
async def chat_socket(
    websocket: WebSocket,
    event_id: Annotated[str, Path(alias="eventId", min_length=1, max_length=64)],
    after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> None:
    """The chat (WebSocket; the viewer token as `token` or Authorization: Bearer, or a staff session). Frames
    are JSON with a `type`; see docs/chat.md."""
    await socket.serve(websocket, websocket.app.state.ctx, hub_of(websocket.app), event_id, after)


async def _moderate(request: Request, session: AsyncSession, event_id: str, done: Moderated) -> None:
    await session.commit()
    await hub_of(request.app).publish(event_id, done.broadcasts)


def _actor(caller: AuthenticatedAdmin, ip: str | None) -> Actor:
    return Actor(kind="admin", id=caller.admin.admin_id, ip=ip)


@router.get("/settings", response_model=ChatSettingsOut)
async def chat_settings(event_id: EventId, _: Editor, session: Session) -> dict[str, Any]:
    await events_service.get_event(session, event_id)
    return room_out(await service.room_of(session, event_id))


@router.put("/settings", response_model=ChatSettingsOut)
async def save_chat_settings(
    event_id: EventId, body: ChatSettingsUpdate, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> dict[str, Any]:
    await events_service.get_event(session, event_id)
    changes = RoomChanges(
        body.policy,
        body.links_allowed,
        body.slow_mode_seconds,
        body.emote_only,
        body.blocked_terms,
        body.blocked_term_action,
        body.embed_chat,
    )
    room, done = await moderation.save_room(session, event_id, staff_person(caller), changes, _actor(caller, ip))
    shown = room_out(room)
    await _moderate(request, session, event_id, done)
    return shown


@router.get("/messages", response_model=ItemList[ChatMessageOut])
async def recent_messages(
    event_id: EventId, _: Editor, session: Session, after: Annotated[int | None, Query(ge=0, le=2**62)] = None
) -> dict[str, Any]:
    """The last 100 messages the room sees (or those after `after`), oldest first."""
    await events_service.get_event(session, event_id)
    return {"items": [message_out(m) for m in await service.history(session, event_id, after)]}


@router.delete("/messages/{messageId}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_message(
    event_id: EventId, message_id: MessageId, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> Response:
    await events_service.get_event(session, event_id)
    done = await moderation.delete_message(
        session, event_id, staff_person(caller), message_id, None, _actor(caller, ip)
    )
    await _moderate(request, session, event_id, done)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/clear", status_code=status.HTTP_204_NO_CONTENT)
async def clear_chat(
    event_id: EventId, body: ModerationReason, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> Response:
    await events_service.get_event(session, event_id)
    done = await moderation.clear(session, event_id, staff_person(caller), body.reason, _actor(caller, ip))
    await _moderate(request, session, event_id, done)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/hide", status_code=status.HTTP_204_NO_CONTENT)
async def hide_person(
    event_id: EventId, body: PersonAction, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> Response:
    """Everything the person wrote leaves the room."""
    await events_service.get_event(session, event_id)
    done = await moderation.hide_person(
        session, event_id, staff_person(caller), body.person_id, body.reason, _actor(caller, ip)
    )
    await _moderate(request, session, event_id, done)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/pin", status_code=status.HTTP_204_NO_CONTENT)
async def pin_message(
    event_id: EventId, body: PinUpdate, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> Response:
    await events_service.get_event(session, event_id)
    done = await moderation.pin(session, event_id, staff_person(caller), body.message_id, _actor(caller, ip))
    await _moderate(request, session, event_id, done)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/bans", response_model=ItemList[RestrictionOut])
async def list_restrictions(event_id: EventId, _: Editor, session: Session) -> dict[str, Any]:
    """Bans and timeouts in force."""
    await events_service.get_event(session, event_id)
    return {"items": await moderation.restrictions(session, event_id)}


@router.post("/bans", response_model=RestrictionOut, status_code=status.HTTP_201_CREATED)
async def restrict_person(
    event_id: EventId, body: RestrictionCreate, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> dict[str, Any]:
    """A ban (their sockets close on every instance) or a timeout (`seconds`: they read but cannot post)."""
    if body.kind == RestrictionKind.TIMEOUT and body.seconds is None:
        raise ValidationFailed("A timeout needs its length", fields={"seconds": "is required for a timeout"})
    await events_service.get_event(session, event_id)
    done = await moderation.restrict(
        session,
        event_id,
        staff_person(caller),
        body.person_id,
        body.kind,
        body.seconds,
        body.reason,
        _actor(caller, ip),
    )
    assert done.restriction is not None
    shown = restriction_out(done.restriction)
    await _moderate(request, session, event_id, done)
    return shown


@router.delete("/bans/{personId}", status_code=status.HTTP_204_NO_CONTENT)
async def lift_restriction(
    event_id: EventId, person_id: PersonId, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> Response:
    await events_service.get_event(session, event_id)
    done = await moderation.lift(session, event_id, staff_person(caller), person_id, _actor(caller, ip))
    await _moderate(request, session, event_id, done)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/reports", response_model=ItemList[ChatReportOut])
async def moderation_queue(
    event_id: EventId,
    _: Editor,
    session: Session,
    status_: Annotated[ReportStatus | None, Query(alias="status")] = ReportStatus.PENDING,
) -> dict[str, Any]:
    """The moderation queue: viewers' reports and held messages (pending by default), oldest first."""
    await events_service.get_event(session, event_id)
    rows = await service.queue(session, event_id, status_)
    return {"items": [report_out(report, message) for report, message in rows]}


@router.post("/reports/{reportId}", status_code=status.HTTP_204_NO_CONTENT)
async def settle_report(
    event_id: EventId,
    report_id: ReportId,
    body: ReportVerdict,
    caller: Editor,
    session: Session,
    request: Request,
    ip: ClientIp,
) -> Response:
    await events_service.get_event(session, event_id)
    done = await moderation.resolve_report(
        session, event_id, staff_person(caller), report_id, body.status, _actor(caller, ip)
    )
    await _moderate(request, session, event_id, done)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/log", response_model=ItemList[ModerationEntryOut])
async def moderation_log(event_id: EventId, _: Editor, session: Session) -> dict[str, Any]:
    """Every moderator action, newest first: who, what, to whom, why."""
    await events_service.get_event(session, event_id)
    return {"items": [ModerationEntryOut.of(e) for e in await moderation.moderation_log(session, event_id)]}


@router.get("/moderators", response_model=ItemList[ModeratorOut])
async def list_moderators(event_id: EventId, _: Editor, session: Session) -> dict[str, Any]:
    rows = await moderators_service.moderators(session, event_id)
    return {"items": [_moderator_out(m) for m in rows]}


@router.post("/moderators", response_model=ModeratorOut, status_code=status.HTTP_201_CREATED)
async def name_moderator(
    event_id: EventId, body: ModeratorCreate, caller: AdminUser, session: Session, ip: ClientIp
) -> dict[str, Any]:
    """Names an address a moderator of the event's chat (admins and owners)."""
    named = await moderators_service.name_moderator(session, event_id, body.email, _actor(caller, ip))
    await session.commit()
    return _moderator_out(named)


@router.delete("/moderators/{moderatorId}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_moderator(
    event_id: EventId, moderator_id: ModeratorId, caller: AdminUser, session: Session, ip: ClientIp
) -> Response:
    await moderators_service.remove_moderator(session, event_id, moderator_id, _actor(caller, ip))
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _moderator_out(moderator: moderators_service.Moderator) -> dict[str, Any]:
    return {
        "moderatorId": moderator.grant_id,
        "email": moderator.email,
        "createdAt": moderator.created_at,
        "createdBy": moderator.created_by,
    }


@router.get("/transcript", response_model=ItemList[ChatMessageOut], responses=TRANSCRIPT_RESPONSE)
async def transcript(
    event_id: EventId,
    _: Editor,
    ctx: Ctx,
    format_: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.JSON,
) -> Response:
    async with ctx.db.sessionmaker() as session:
        await events_service.get_event(session, event_id)
    if format_ == ExportFormat.CSV:
        return StreamingResponse(
            _csv(ctx, event_id),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="chat-{event_id}.csv"'},
        )
    return StreamingResponse(_json(ctx, event_id), media_type="application/json")


async def _csv(ctx: AppContext, event_id: str) -> AsyncIterator[str]:
    async with ctx.db.sessionmaker() as session:
        async for chunk in service.transcript_csv(session, event_id):
            yield chunk


async def _json(ctx: AppContext, event_id: str) -> AsyncIterator[str]:
    """`{"items": [...]}` written a batch at a time."""
    yield '{"items": ['
    first = True
    async with ctx.db.sessionmaker() as session:
        async for batch in service.transcript_messages(session, event_id):
            for message in batch:
                yield ("" if first else ",") + json.dumps(message_out(message))
                first = False
    yield "]}"
