"""What a chat socket's frames ask for: posting, reporting, reacting, voting, asking and upvoting for everyone in
the room, and the moderators' commands. Each asks `access.decide` first (Action.CHAT, VOTE or MODERATE), then
commits, then broadcasts what changed."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access.decide import Action
from golive.audit.actor import Actor
from golive.engagement.chat import moderation, polls, questions, reactions, service
from golive.engagement.chat.frames import Broadcast
from golive.engagement.chat.hub import ChatHub, Connection
from golive.engagement.chat.models import RestrictionKind
from golive.engagement.chat.people import Person
from golive.engagement.chat.rules import TokenBucket
from golive.engagement.chat.service import ChatRefused
from golive.events.models import Event
from golive.platform.context import AppContext

BAD_FRAME = "Frames are JSON objects with a known `type`"


async def handle(
    ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, kind: object, frame: dict[str, Any]
) -> None:
    if kind == "ping":
        connection.offer(json.dumps({"type": "pong"}))
        return
    viewer_command = VIEWER_COMMANDS.get(str(kind))
    if viewer_command is not None:
        await viewer_command(ctx, hub, connection, event, frame)
        return
    command = MODERATOR_COMMANDS.get(str(kind))
    if command is None:
        raise ChatRefused("bad_frame", BAD_FRAME)
    async with ctx.db.sessionmaker() as session:
        await service.require(session, event, connection.person, Action.MODERATE)
        broadcasts = await command(session, event.event_id, connection.person, frame)
        await session.commit()
    await hub.publish(event.event_id, broadcasts)


# --- everyone in the room --------------------------------------------------------------------------------------


async def _may_write(session: AsyncSession, connection: Connection, event: Event) -> bool:
    """Whether the person moderates (decided again at each frame: a moderator named or removed meanwhile counts at
    once); refuses with the reason when they may not post."""
    decided = await service.chat_decisions(session, event, connection.person, (Action.MODERATE, Action.CHAT))
    connection.moderator = decided[Action.MODERATE].allowed
    if not decided[Action.CHAT].allowed:
        raise await service.refusal(session, event.event_id, connection.person, decided[Action.CHAT])
    return connection.moderator


def _spend(bucket: TokenBucket, what: str) -> None:
    wait = bucket.take()
    if wait > 0:
        raise ChatRefused(
            "rate_limited", f"You are sending {what} too fast; wait a moment", {"retryAfter": round(wait, 2)}
        )


async def _message(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, frame: dict[str, Any]) -> None:
    text = frame.get("text")
    if not isinstance(text, str):
        raise ChatRefused("message_empty", "Write something first")
    reply_to = frame.get("replyTo")
    async with ctx.db.sessionmaker() as session:
        moderator = await _may_write(session, connection, event)
        if not moderator:
            _spend(hub.bucket(connection), "messages")
        posted = await service.post(
            session, event, connection.person, text, _int(reply_to) if reply_to is not None else None, moderator
        )
        await session.commit()
    await hub.publish(event.event_id, posted.broadcasts)


async def _report(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, frame: dict[str, Any]) -> None:
    async with ctx.db.sessionmaker() as session:
        queued = await service.report(
            session, event, connection.person, _message_id(frame), _text(frame, "reason", 255)
        )
        await session.commit()
    connection.offer(json.dumps({"type": "reported", "messageId": str(_message_id(frame))}))
    if queued is not None:
        await hub.publish(event.event_id, [queued])


async def _reaction(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, frame: dict[str, Any]) -> None:
    emoji = frame.get("emoji")
    if emoji not in reactions.PALETTE:
        raise ChatRefused("bad_frame", "React with one of the chat's emoji")
    _spend(hub.bucket(connection, "reactions"), "reactions")
    if not connection.moderator:
        async with ctx.db.sessionmaker() as session:
            await service.require(session, event, connection.person, Action.VOTE)
    hub.reactions.add(event.event_id, str(emoji))


async def _vote(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, frame: dict[str, Any]) -> None:
    poll_id, option_id = _id(frame, "pollId"), _id(frame, "optionId")
    async with ctx.db.sessionmaker() as session:
        await service.require(session, event, connection.person, Action.VOTE)
        counted = await polls.vote(session, event.event_id, connection.person, poll_id, option_id)
        await session.commit()
    if not counted:
        raise ChatRefused("chat_poll_voted", "You have voted in this poll already")
    hub.poll_voted(event.event_id, poll_id)
    connection.offer(json.dumps({"type": "voted", "pollId": poll_id, "optionId": option_id}))


async def _ask(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, frame: dict[str, Any]) -> None:
    text = frame.get("text")
    if not isinstance(text, str):
        raise ChatRefused("message_empty", "Write your question first")
    async with ctx.db.sessionmaker() as session:
        moderator = await _may_write(session, connection, event)
        if not moderator:
            _spend(hub.bucket(connection), "messages")
        broadcast = await questions.ask(session, event.event_id, connection.person, text, moderator)
        await session.commit()
    await hub.publish(event.event_id, [broadcast])


async def _upvote(ctx: AppContext, hub: ChatHub, connection: Connection, event: Event, frame: dict[str, Any]) -> None:
    async with ctx.db.sessionmaker() as session:
        await service.require(session, event, connection.person, Action.VOTE)
        broadcast = await questions.upvote(session, event.event_id, connection.person, _id(frame, "questionId"))
        await session.commit()
    if broadcast is None:
        raise ChatRefused("chat_question_upvoted", "You have upvoted this question already")
    await hub.publish(event.event_id, [broadcast])


ViewerCommand = Callable[[AppContext, ChatHub, Connection, Event, dict[str, Any]], Awaitable[None]]
VIEWER_COMMANDS: dict[str, ViewerCommand] = {
    "message": _message,
    "report": _report,
    "reaction": _reaction,
    "vote": _vote,
    "ask": _ask,
    "upvote": _upvote,
}


# --- moderators ------------------------------------------------------------------------------------------------


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


def _id(frame: dict[str, Any], name: str) -> str:
    value = frame.get(name)
    if not isinstance(value, str) or not 1 <= len(value) <= 40:
        raise ChatRefused("bad_frame", f"Send `{name}`")
    return value


def _text(frame: dict[str, Any], name: str, limit: int) -> str | None:
    value = frame.get(name)
    return value[:limit] if isinstance(value, str) and value.strip() else None


def _person(frame: dict[str, Any]) -> str:
    person = frame.get("personId")
    if not isinstance(person, str) or not 3 <= len(person) <= 40:
        raise ChatRefused("bad_frame", "Name the person by their personId")
    return person


def _seconds(frame: dict[str, Any], name: str, low: int, high: int) -> int:
    seconds = frame.get(name)
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not low <= seconds <= high:
        raise ChatRefused("bad_frame", f"`{name}` is a whole number of seconds from {low} to {high}")
    return seconds


def _actor(who: Person) -> Actor | None:
    """Staff actions go to the audit trail too (a named moderator's are in the moderation log)."""
    return Actor(kind="admin", id=who.person_id.removeprefix("s:"), ip=None) if who.staff else None


def _reason(frame: dict[str, Any]) -> str | None:
    return _text(frame, "reason", 300)


async def _delete(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    done = await moderation.delete_message(session, event_id, who, _message_id(frame), _reason(frame), _actor(who))
    return done.broadcasts


async def _timeout(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    seconds = _seconds(frame, "seconds", moderation.MIN_TIMEOUT_SECONDS, moderation.MAX_TIMEOUT_SECONDS)
    done = await moderation.restrict(
        session, event_id, who, _person(frame), RestrictionKind.TIMEOUT, seconds, _reason(frame), _actor(who)
    )
    return done.broadcasts


async def _ban(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    done = await moderation.restrict(
        session, event_id, who, _person(frame), RestrictionKind.BAN, None, _reason(frame), _actor(who)
    )
    return done.broadcasts


async def _unban(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    return (await moderation.lift(session, event_id, who, _person(frame), _actor(who))).broadcasts


async def _clear(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    return (await moderation.clear(session, event_id, who, _reason(frame), _actor(who))).broadcasts


async def _hide(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    done = await moderation.hide_person(session, event_id, who, _person(frame), _reason(frame), _actor(who))
    return done.broadcasts


async def _pin(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    message_id = frame.get("messageId")
    pinned = _int(message_id) if message_id is not None else None
    return (await moderation.pin(session, event_id, who, pinned, _actor(who))).broadcasts


async def _poll_start(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    question, options = frame.get("question"), frame.get("options")
    if not isinstance(question, str) or not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise ChatRefused("bad_frame", "A poll is a `question` and its `options` (text)")
    seconds = _seconds(frame, "durationSeconds", polls.MIN_SECONDS, polls.MAX_SECONDS)
    _, broadcast = await polls.start(session, event_id, who, question, options, seconds)
    moderation.log_action(session, event_id, who, "poll_start", details={"question": question[:255]}, actor=_actor(who))
    return [broadcast]


async def _poll_end(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    broadcast = await polls.end(session, event_id, _id(frame, "pollId"))
    moderation.log_action(session, event_id, who, "poll_end", details={"pollId": frame["pollId"]}, actor=_actor(who))
    return [broadcast]


async def _answer(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    broadcast = await questions.answer(session, event_id, _id(frame, "questionId"))
    moderation.log_action(
        session, event_id, who, "answer", details={"questionId": frame["questionId"]}, actor=_actor(who)
    )
    return [broadcast]


async def _hide_question(session: AsyncSession, event_id: str, who: Person, frame: dict[str, Any]) -> list[Broadcast]:
    broadcast = await questions.hide(session, event_id, _id(frame, "questionId"))
    moderation.log_action(
        session, event_id, who, "hide_question", details={"questionId": frame["questionId"]}, actor=_actor(who)
    )
    return [broadcast]


ModeratorCommand = Callable[[AsyncSession, str, Person, dict[str, Any]], Awaitable[list[Broadcast]]]
MODERATOR_COMMANDS: dict[str, ModeratorCommand] = {
    "delete": _delete,
    "timeout": _timeout,
    "ban": _ban,
    "unban": _unban,
    "clear": _clear,
    "hide": _hide,
    "pin": _pin,
    "poll_start": _poll_start,
    "poll_end": _poll_end,
    "answer": _answer,
    "hide_question": _hide_question,
}
