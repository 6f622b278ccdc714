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
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.websockets import WebSocket, WebSocketDisconnect

from golive.access import admission, repository
from golive.access.decide import Action, Reason
from golive.audit.actor import Actor
from golive.engagement.chat import moderation, service
from golive.engagement.chat.frames import error_frame, message_out, room_out
from golive.engagement.chat.hub import ChatHub, Connection
from golive.engagement.chat.models import RestrictionKind
from golive.engagement.chat.people import Person, staff_person, viewer_person
from golive.engagement.chat.service import ChatRefused
from golive.events import service as events_service
from golive.events.models import Event
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
        last_seen = await _greet(ctx, connection, event, after)
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
            caller = await _staff(websocket, ctx, token)
            if caller is None:
                raise SocketRefused(
                    UNAUTHENTICATED, "viewer_token_missing", "Send the viewer token from POST /api/registrations"
                )
            person = staff_person(caller)
        moderator = (await service.chat_decision(session, event, person, Action.MODERATE)).allowed
        if not moderator:
            watch = await service.chat_decision(session, event, person, Action.WATCH)
            if not watch.entitled:
                raise SocketRefused(REFUSED, watch.reason.value, watch.message)
            chat = await service.chat_decision(session, event, person, Action.CHAT)
            if chat.reason == Reason.BANNED:  # a banned person does not come back by reconnecting
                raise SocketRefused(REFUSED, chat.reason.value, chat.message)
    return event, person, moderator


def _bearer(websocket: WebSocket) -> str | None:
    scheme, _, value = websocket.headers.get("authorization", "").partition(" ")
    return value if scheme.lower() == "bearer" and value else None


async def _staff(websocket: WebSocket, ctx: AppContext, token: str | None) -> AuthenticatedAdmin | None:
    """A staff session by bearer token, or by the console's cookie from a page of this site (a cookie sent by
    another site's page is not its user's wish: cross-site WebSocket hijacking)."""
    via_cookie = token is None
    if via_cookie:
        token = websocket.cookies.get(SESSION_COOKIE)
        origin = websocket.headers.get("origin")
        if not token or (origin is not None and _origin(origin) != _origin(ctx.settings.base_url)):
            return None
    assert token is not None
    try:
        async with ctx.db.read_engine.connect() as connection:
            admin, session_id = await staff_service.authenticate(ctx, connection, token)
    except AppError:
        return None
    return AuthenticatedAdmin(admin=admin, session_id=session_id, via_cookie=via_cookie)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


async def _greet(ctx: AppContext, connection: Connection, event: Event, after: int | None) -> int:
    """Sends who the person is, the room, and the history; returns the last message id sent."""
    async with ctx.db.sessionmaker() as session:
        room = await service.room_of(session, event.event_id)
        chat = await service.chat_decision(session, event, connection.person, Action.CHAT)
        pinned = None
        if room.pinned_message_id is not None:
            pinned = await service.message_in(session, event.event_id, room.pinned_message_id)
        messages = await service.history(session, event.event_id, after)
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
    hello = {"type": "hello", "you": you, "settings": settings, "pinned": message_out(pinned) if pinned else None}
    await connection.websocket.send_text(json.dumps(hello))
    await connection.websocket.send_text(
        json.dumps({"type": "history", "messages": [message_out(m) for m in messages]})
    )
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
        try:
            await _handle(ctx, hub, connection, event, kind, frame)
        except ChatRefused as refused:
            connection.offer(json.dumps(error_frame(refused.code, refused.message, **refused.details)))
        except AppError as exc:
            connection.offer(json.dumps(error_frame(exc.code, exc.message)))


async def _handle(
    ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, kind: object, frame: dict[str, Any]
) -> None:
    if kind == "ping":
        connection.offer(json.dumps({"type": "pong"}))
        return
    if kind == "message":
        await _post(ctx, hub, connection, event, frame)
        return
    if kind == "report":
        async with ctx.db.sessionmaker() as session:
            await service.report(session, event, connection.person, _message_id(frame), _text(frame, "reason", 255))
            await session.commit()
        connection.offer(json.dumps({"type": "reported", "messageId": str(_message_id(frame))}))
        return
    action = MODERATOR_FRAMES.get(str(kind))
    if action is None:
        raise ChatRefused("bad_frame", "Frames are JSON objects with a known `type`")
    async with ctx.db.sessionmaker() as session:
        await service.require(session, event, connection.person, Action.MODERATE)
        done = await action(session, event.event_id, connection.person, frame)
        await session.commit()
    await hub.publish(event.event_id, done.broadcasts)


async def _post(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, frame: dict[str, Any]) -> None:
    text = frame.get("text")
    if not isinstance(text, str):
        raise ChatRefused("message_empty", "Write something first")
    reply_to = frame.get("replyTo")
    async with ctx.db.sessionmaker() as session:
        moderator = (await service.chat_decision(session, event, connection.person, Action.MODERATE)).allowed
        connection.moderator = moderator
        if not moderator:
            await service.require(session, event, connection.person, Action.CHAT)
            wait = hub.bucket(connection).take()
            if wait > 0:
                raise ChatRefused(
                    "rate_limited", "You are sending messages too fast; wait a moment", {"retryAfter": round(wait, 2)}
                )
        posted = await service.post(
            session, event, connection.person, text, _int(reply_to) if reply_to is not None else None, moderator
        )
        await session.commit()
    await hub.publish(event.event_id, posted.broadcasts)


def _int(value: object) -> int:
    try:
        number = int(str(value))
    except ValueError as exc:
        raise ChatRefused("bad_frame", "Message ids are numbers") from exc
    if number < 1 or number > 2**62:
        raise ChatRefused("bad_frame", "Message ids are numbers")
    return number


def _message_id(frame: dict[str, Any]) -> int:
    return _int(frame.get("messageId"))


def _text(frame: dict[str, Any], name: str, limit: int) -> str | None:
    value = frame.get(name)
    return value[:limit] if isinstance(value, str) and value.strip() else None


def _person(frame: dict[str, Any]) -> str:
    person = frame.get("personId")
    if not isinstance(person, str) or not 3 <= len(person) <= 40:
        raise ChatRefused("bad_frame", "Name the person by their personId")
    return person


def _seconds(frame: dict[str, Any]) -> int:
    seconds = frame.get("seconds")
    if not isinstance(seconds, int) or not moderation.MIN_TIMEOUT_SECONDS <= seconds <= moderation.MAX_TIMEOUT_SECONDS:
        raise ChatRefused("bad_frame", "A timeout lasts from 1 second to 14 days (`seconds`)")
    return seconds


async def _delete(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> moderation.Moderated:
    return await moderation.delete_message(
        session, event_id, who, _message_id(frame), _text(frame, "reason", 300), _actor(who)
    )


async def _timeout(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> moderation.Moderated:
    return await moderation.restrict(
        session,
        event_id,
        who,
        _person(frame),
        RestrictionKind.TIMEOUT,
        _seconds(frame),
        _text(frame, "reason", 300),
        _actor(who),
    )


async def _ban(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> moderation.Moderated:
    return await moderation.restrict(
        session, event_id, who, _person(frame), RestrictionKind.BAN, None, _text(frame, "reason", 300), _actor(who)
    )


async def _unban(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> moderation.Moderated:
    return await moderation.lift(session, event_id, who, _person(frame), _actor(who))


async def _clear(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> moderation.Moderated:
    return await moderation.clear(session, event_id, who, _text(frame, "reason", 300), _actor(who))


async def _hide(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> moderation.Moderated:
    return await moderation.hide_person(
        session, event_id, who, _person(frame), _text(frame, "reason", 300), _actor(who)
    )


async def _pin(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> moderation.Moderated:
    message_id = frame.get("messageId")
    return await moderation.pin(
        session, event_id, who, _int(message_id) if message_id is not None else None, _actor(who)
    )


def _actor(who: Person) -> Actor | None:
    """Staff actions go to the audit trail too (a named moderator's are in the moderation log)."""
    return Actor(kind="admin", id=who.person_id.removeprefix("s:"), ip=None) if who.staff else None


MODERATOR_FRAMES = {
    "delete": _delete,
    "timeout": _timeout,
    "ban": _ban,
    "unban": _unban,
    "clear": _clear,
    "hide": _hide,
    "pin": _pin,
}


async def recheck(ctx: AppContext, connection: Connection) -> None:
    """After a revoked grant: the socket stays only while the person may still read the room."""
    async with ctx.db.sessionmaker() as session:
        event = await events_service.get_event(session, connection.event_id)
        decision = await service.chat_decision(session, event, connection.person, Action.WATCH)
    if not decision.entitled and not connection.moderator:
        connection.offer(json.dumps(error_frame(decision.reason.value, decision.message)))
        connection.end(REFUSED)
