"""One chat socket: who it is (a viewer token, or a staff session), the first frames, then what the client sends.

A viewer joins when `access.decide` says they may watch (reading the chat); each message and each moderator
action asks it again (posting, moderating), so a ban, a timeout, a policy change or a revoked grant is obeyed at
the next frame. Every refusal is a frame `{"type": "error", "code", "message"}`; the socket closes only when
the person may no longer read the room.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.websockets import WebSocket, WebSocketDisconnect

from golive.access import admission, repository
from golive.access.decide import Action, Reason
from golive.engagement.chat import commands, polls, questions, reactions, service
from golive.engagement.chat.frames import error_frame, message_out, room_out
from golive.engagement.chat.hub import ChatHub, Connection
from golive.engagement.chat.models import QuestionStatus
from golive.engagement.chat.people import Person, account_person, staff_person, viewer_person
from golive.engagement.chat.service import ChatRefused
from golive.events import service as events_service
from golive.events.models import Event
from golive.identity.accounts import sessions as account_sessions
from golive.identity.accounts.auth import SESSION_COOKIE as ACCOUNT_COOKIE
from golive.identity.staff import service as staff_service
from golive.identity.staff.auth import SESSION_COOKIE
from golive.identity.staff.service import AuthenticatedAdmin
from golive.platform.context import AppContext
from golive.platform.errors import AppError

MAX_FRAME_CHARACTERS = 4096
UNAUTHENTICATED, REFUSED, NOT_FOUND = 4401, 4403, 4404


class SocketRefused(Exception):
    def __init__(self, close_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.close_code, self.code, self.message = close_code, code, message


async def serve(websocket: WebSocket, ctx: AppContext, hub: ChatHub, event_id: str, after: int | None) -> None:
    await websocket.accept()
    try:
        event, person, moderator = await _admit(websocket, ctx, event_id)
    except SocketRefused as refused:
        await websocket.send_text(json.dumps(error_frame(refused.code, refused.message)))
        await websocket.close(refused.close_code)
        return
    connection = Connection(websocket, event_id, person, moderator)
    await hub.join(connection)
    writer: asyncio.Task[None] | None = None
    try:
        last_seen = await _greet(ctx, hub, connection, event, after)
        writer = asyncio.create_task(connection.write(skip_through=last_seen))
        await _receive(ctx, hub, connection, event)
    except WebSocketDisconnect:
        pass
    finally:
        hub.leave(connection)
        connection.end(1000)
        if writer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer, 5)


async def _admit(websocket: WebSocket, ctx: AppContext, event_id: str) -> tuple[Event, Person, bool]:
    token = websocket.query_params.get("token") or _bearer(websocket)
    async with ctx.db.sessionmaker() as session:
        try:
            event = await events_service.get_event(session, event_id)
        except AppError as exc:
            raise SocketRefused(NOT_FOUND, exc.code, exc.message) from exc
        identity = admission.read_viewer_token(ctx, token) if token else None
        if identity is not None:
            if identity.event_id != event_id:
                raise SocketRefused(REFUSED, "viewer_token_other_event", "This viewer token is for another event")
            viewer = await repository.get_viewer(session, identity.viewer_id)
            if viewer is None:
                raise SocketRefused(UNAUTHENTICATED, "viewer_token_invalid", "Register again to join the chat")
            person = await viewer_person(session, viewer)
        else:
            person = await _signed_in(websocket, ctx, session, token)
        decided = await service.chat_decisions(session, event, person, (Action.MODERATE, Action.WATCH, Action.CHAT))
    moderator = decided[Action.MODERATE].allowed
    if not moderator:
        watch, chat = decided[Action.WATCH], decided[Action.CHAT]
        if not watch.entitled:
            raise SocketRefused(REFUSED, watch.reason.value, watch.message)
        if chat.reason == Reason.BANNED:  # a banned person does not come back by reconnecting
            raise SocketRefused(REFUSED, chat.reason.value, chat.message)
    return event, person, moderator


def _bearer(websocket: WebSocket) -> str | None:
    scheme, _, value = websocket.headers.get("authorization", "").partition(" ")
    return value if scheme.lower() == "bearer" and value else None


async def _signed_in(websocket: WebSocket, ctx: AppContext, session: AsyncSession, token: str | None) -> Person:
    """Staff (the console's session) or an account (its session), by bearer token or by cookie; a cookie only from
    a page of this site (another site's page sending it is not its user's wish: cross-site WebSocket hijacking)."""
    same_site = _origin(websocket.headers.get("origin") or ctx.settings.base_url) == _origin(ctx.settings.base_url)
    for presented, via_cookie in ((token, False), (websocket.cookies.get(SESSION_COOKIE), True)):
        if presented and (same_site or not via_cookie):
            with contextlib.suppress(AppError):
                async with ctx.db.read_engine.connect() as connection:
                    admin, session_id = await staff_service.authenticate(ctx, connection, presented)
                return staff_person(AuthenticatedAdmin(admin=admin, session_id=session_id, via_cookie=via_cookie))
    for presented, via_cookie in ((token, False), (websocket.cookies.get(ACCOUNT_COOKIE), True)):
        if presented and (same_site or not via_cookie):
            with contextlib.suppress(AppError):
                async with ctx.db.read_engine.connect() as connection:
                    signed = await account_sessions.authenticate(ctx, connection, presented, via_cookie)
                account = await account_sessions.live_account(session, signed.session_id)
                if account is not None:
                    return account_person(account)
    raise SocketRefused(
        UNAUTHENTICATED, "viewer_token_missing", "Send the viewer token from POST /api/registrations, or sign in"
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


async def _greet(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, after: int | None) -> int:
    """Sends who the person is, the room, the history and the open questions; returns the last message id sent."""
    async with ctx.db.sessionmaker() as session:
        room = await service.room_of(session, event.event_id)
        chat = await service.chat_decision(session, event, connection.person, Action.CHAT)
        pinned = None
        if room.pinned_message_id is not None:
            pinned = await service.message_in(session, event.event_id, room.pinned_message_id)
        messages = await service.history(session, event.event_id, after)
        poll = await polls.latest(session, event.event_id)
        poll_shown = await polls.shown(session, poll) if poll is not None else None
        poll_vote = await polls.vote_of(session, poll.poll_id, connection.person.person_id) if poll else None
        asked = await questions.questions(
            session, event.event_id, status=QuestionStatus.OPEN, limit=questions.SHOWN_ON_JOIN
        )
        upvoted = await questions.upvoted_by(session, connection.person.person_id, [q.question_id for q in asked])
        removed = await service.deleted_before(session, event.event_id, after) if after else []
    if poll_shown is not None:
        hub.poll_seen(event.event_id, poll_shown)
    settings = room_out(room)
    if not connection.moderator:
        settings.pop("blockedTerms")
    you = {
        "personId": connection.person.person_id,
        "name": connection.person.name,
        "moderator": connection.moderator,
        "canChat": chat.allowed,
        "reason": chat.reason.value,
        "message": chat.message,
    }
    hello = {
        "type": "hello",
        "you": you,
        "settings": settings,
        "pinned": message_out(pinned) if pinned else None,
        "poll": poll_shown,
        "pollVote": poll_vote,
        "reactions": list(reactions.PALETTE),
    }
    send = connection.websocket.send_text
    await send(json.dumps(hello))
    await send(json.dumps({"type": "history", "messages": [message_out(m) for m in messages]}))
    if removed:  # what a reconnecting client may still show
        await send(json.dumps({"type": "deleted", "messageIds": [str(i) for i in removed]}))
    shown = [{**questions.question_out(q), "upvoted": q.question_id in upvoted} for q in asked]
    await send(json.dumps({"type": "questions", "questions": shown}))
    return messages[-1].message_id if messages else (after or 0)


async def _receive(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event) -> None:
    while connection.close_code is None:
        raw = await connection.websocket.receive_text()
        if len(raw) > MAX_FRAME_CHARACTERS:
            connection.offer(json.dumps(error_frame("frame_too_large", "That frame is too large")))
            continue
        try:
            frame = json.loads(raw)
            kind = frame["type"] if isinstance(frame, dict) else None
        except (ValueError, KeyError):
            kind, frame = None, {}
        request = kind if isinstance(kind, str) else None
        try:
            await commands.handle(ctx, hub, connection, event, kind, frame)
        except ChatRefused as refused:
            connection.offer(json.dumps(error_frame(refused.code, refused.message, request, **refused.details)))
        except AppError as exc:
            connection.offer(json.dumps(error_frame(exc.code, exc.message, request)))


async def recheck(ctx: AppContext, connection: Connection) -> None:
    """After a revoked grant: the socket stays only while the person may still read the room."""
    async with ctx.db.sessionmaker() as session:
        event = await events_service.get_event(session, connection.event_id)
        decision = await service.chat_decision(session, event, connection.person, Action.WATCH)
    if not decision.entitled and not connection.moderator:
        connection.offer(json.dumps(error_frame(decision.reason.value, decision.message)))
        connection.end(REFUSED)
