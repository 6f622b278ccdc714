"""An event's chat: who may post (through `access.decide`), posting, history, reports and the transcript.

Functions take the caller's session and leave the commit to it; what they change for the room's sockets comes
back as broadcasts, which the hub publishes once the unit of work has committed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access.decide import Action, ChatFacts, ChatPolicy, Decision, Reason, Target, decide_each
from golive.engagement.chat.frames import Broadcast, message_out, report_out, stamp
from golive.engagement.chat.models import (
    BlockedTermAction,
    ChatMessage,
    ChatReport,
    ChatRestriction,
    ChatRoom,
    MessageStatus,
    ReportStatus,
    RestrictionKind,
)
from golive.engagement.chat.people import Person
from golive.engagement.chat.rules import MessageRefused, RoomRules, check_text
from golive.events.models import Event
from golive.platform.csv_export import stream_csv
from golive.platform.db import new_id, utcnow
from golive.platform.errors import NotFound

HISTORY_SIZE = 100  # what a joining viewer gets first (Vimeo shows 100)
FILTER = "filter"  # the reporter of a message a blocked term held


class ChatRefused(Exception):
    """A refusal the chat shows: a decision's reason, or a rule's."""

    def __init__(self, code: str, message: str, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}


async def room_of(session: AsyncSession, event_id: str) -> ChatRoom:
    """The event's settings, or the defaults (not added to the session) while nobody changed them."""
    room = await session.get(ChatRoom, event_id)
    if room is not None:
        return room
    return ChatRoom(
        event_id=event_id,
        policy=ChatPolicy.EVERYONE,
        links_allowed=False,
        slow_mode_seconds=0,
        emote_only=False,
        blocked_terms=[],
        blocked_term_action=BlockedTermAction.MASK,
        pinned_message_id=None,
        embed_chat=False,
    )


def rules_of(room: ChatRoom) -> RoomRules:
    return RoomRules(room.links_allowed, room.emote_only, tuple(room.blocked_terms), room.blocked_term_action)


async def active_restrictions(
    session: AsyncSession, event_id: str, person_id: str, now: datetime
) -> list[ChatRestriction]:
    rows = await session.scalars(
        select(ChatRestriction).where(
            ChatRestriction.event_id == event_id,
            ChatRestriction.person_id == person_id,
            ChatRestriction.lifted_at.is_(None),
            or_(ChatRestriction.until.is_(None), ChatRestriction.until > now),
        )
    )
    return list(rows)


async def chat_decisions(
    session: AsyncSession, event: Event, person: Person, actions: Sequence[Action]
) -> dict[Action, Decision]:
    """`access.decide` with the room's policy and the person's bans and timeouts as facts, for each action (one
    read of the room, the restrictions and the grants, whatever their number)."""
    now = utcnow()
    room = await room_of(session, event.event_id)
    restrictions = await active_restrictions(session, event.event_id, person.person_id, now)
    timeouts = [r.until for r in restrictions if r.kind == RestrictionKind.TIMEOUT and r.until is not None]
    facts = ChatFacts(
        policy=room.policy,
        staff=person.staff,
        signed_in=person.signed_in,
        banned=any(r.kind == RestrictionKind.BAN for r in restrictions),
        muted_until=max(timeouts) if timeouts else None,
    )
    return await decide_each(session, person.subject, Target.event(event), actions, now, chat=facts)


async def chat_decision(session: AsyncSession, event: Event, person: Person, action: Action) -> Decision:
    return (await chat_decisions(session, event, person, (action,)))[action]


async def refusal(session: AsyncSession, event_id: str, person: Person, decision: Decision) -> ChatRefused:
    """The frame's refusal for a decision: its reason, and when a timeout ends."""
    details: dict[str, object] = {"reason": decision.reason.value}
    if decision.reason == Reason.TIMED_OUT:
        restrictions = await active_restrictions(session, event_id, person.person_id, utcnow())
        ends = [r.until for r in restrictions if r.kind == RestrictionKind.TIMEOUT and r.until is not None]
        if ends:
            details["until"] = stamp(max(ends))
    return ChatRefused(decision.reason.value, decision.message, details)


async def require(session: AsyncSession, event: Event, person: Person, action: Action) -> Decision:
    decision = await chat_decision(session, event, person, action)
    if not decision.allowed:
        raise await refusal(session, event.event_id, person, decision)
    return decision


@dataclass(frozen=True)
class Posted:
    message: ChatMessage
    broadcasts: list[Broadcast]


async def post(
    session: AsyncSession, event: Event, person: Person, text: str, reply_to: int | None, moderator: bool
) -> Posted:
    """Writes a message the rules let through: shown to the room, or held for the moderators (its author is
    told). The caller has asked `require(..., Action.CHAT)`; `moderator` is its decided standing (moderators
    skip the slow mode and the text rules)."""
    room = await room_of(session, event.event_id)
    if not moderator and room.slow_mode_seconds > 0:
        await _check_slow_mode(session, event.event_id, person.person_id, room.slow_mode_seconds)
    try:
        checked = check_text(text, rules_of(room), moderator)
    except MessageRefused as exc:
        raise ChatRefused(exc.code, exc.message) from exc
    if reply_to is not None:
        replied = await session.get(ChatMessage, reply_to)
        if replied is None or replied.event_id != event.event_id or replied.status != MessageStatus.VISIBLE:
            raise ChatRefused("reply_not_found", "The message you reply to is not in this chat")
    message = ChatMessage(
        event_id=event.event_id,
        person_id=person.person_id,
        author_name=person.name,
        moderator=moderator,
        text=checked.text,
        reply_to_id=reply_to,
        mentions=checked.mentions,
        status=MessageStatus.HELD if checked.held else MessageStatus.VISIBLE,
        created_at=utcnow(),
    )
    session.add(message)
    await session.flush()
    if checked.held:
        queued = ChatReport(
            report_id=new_id(),
            event_id=event.event_id,
            message_id=message.message_id,
            reported_by=FILTER,
            status=ReportStatus.PENDING,
            created_at=utcnow(),
        )
        session.add(queued)
        frame = {"type": "held", "message": message_out(message)}
        moderators = [Broadcast(frame, moderators_only=True), _queued(queued, message)]
        return Posted(message, [Broadcast(frame, to=person.person_id), *moderators])
    return Posted(message, [Broadcast({"type": "message", "message": message_out(message)})])


async def _check_slow_mode(session: AsyncSession, event_id: str, person_id: str, seconds: int) -> None:
    last = await session.scalar(
        select(func.max(ChatMessage.created_at)).where(
            ChatMessage.event_id == event_id, ChatMessage.person_id == person_id
        )
    )
    if last is None:
        return
    wait = (last + timedelta(seconds=seconds) - utcnow()).total_seconds()
    if wait > 0:
        raise ChatRefused(
            "slow_mode", f"Slow mode is on: one message every {seconds} s", {"retryAfter": round(wait, 1)}
        )


async def history(session: AsyncSession, event_id: str, after: int | None = None) -> list[ChatMessage]:
    """The last HISTORY_SIZE messages shown to the room, oldest first; or, for a client that reconnects
    with the last id it saw, what came after it (up to HISTORY_SIZE, the oldest first)."""
    shown = select(ChatMessage).where(ChatMessage.event_id == event_id, ChatMessage.status == MessageStatus.VISIBLE)
    if after is not None:
        rows = await session.scalars(
            shown.where(ChatMessage.message_id > after).order_by(ChatMessage.message_id).limit(HISTORY_SIZE)
        )
        return list(rows)
    newest = await session.scalars(shown.order_by(ChatMessage.message_id.desc()).limit(HISTORY_SIZE))
    return list(reversed(list(newest)))


async def message_in(session: AsyncSession, event_id: str, message_id: int) -> ChatMessage:
    message = await session.get(ChatMessage, message_id)
    if message is None or message.event_id != event_id:
        raise NotFound("No such message in this chat", code="chat_message_not_found", details={"messageId": message_id})
    return message


async def report(
    session: AsyncSession, event: Event, reporter: Person, message_id: int, reason: str | None
) -> Broadcast | None:
    """A viewer's report of a message goes to the moderation queue (once per reporter and message); the
    moderators' sockets hear of it."""
    message = await message_in(session, event.event_id, message_id)
    held = await session.scalar(
        select(ChatReport).where(
            ChatReport.message_id == message.message_id, ChatReport.reported_by == reporter.person_id
        )
    )
    if held is not None:
        return None
    entry = ChatReport(
        report_id=new_id(),
        event_id=event.event_id,
        message_id=message.message_id,
        reported_by=reporter.person_id,
        reason=reason,
        status=ReportStatus.PENDING,
        created_at=utcnow(),
    )
    session.add(entry)
    await session.flush()
    return _queued(entry, message)


def _queued(report: ChatReport, message: ChatMessage) -> Broadcast:
    """The moderators' sockets hear of a new item in the queue."""
    return Broadcast({"type": "report", "report": report_out(report, message)}, moderators_only=True)


async def deleted_before(session: AsyncSession, event_id: str, after: int) -> list[int]:
    """Messages up to `after` removed since (a reconnecting client may still show them): the last ones only."""
    rows = await session.scalars(
        select(ChatMessage.message_id).where(
            ChatMessage.event_id == event_id,
            ChatMessage.status == MessageStatus.DELETED,
            ChatMessage.message_id <= after,
            ChatMessage.message_id > after - 2 * HISTORY_SIZE,
        )
    )
    return list(rows)


async def queue(
    session: AsyncSession, event_id: str, status: ReportStatus | None
) -> Sequence[tuple[ChatReport, ChatMessage]]:
    """The moderation queue, oldest first (pending reports are what a moderator works through)."""
    which = select(ChatReport, ChatMessage).join(ChatMessage, ChatMessage.message_id == ChatReport.message_id)
    which = which.where(ChatReport.event_id == event_id)
    if status is not None:
        which = which.where(ChatReport.status == status)
    rows = await session.execute(which.order_by(ChatReport.created_at, ChatReport.report_id))
    return [(row[0], row[1]) for row in rows]


TRANSCRIPT_HEADER = ("messageId", "createdAt", "personId", "name", "moderator", "text", "replyTo", "status")


async def transcript_messages(session: AsyncSession, event_id: str) -> AsyncIterator[list[ChatMessage]]:
    """Every message of the event, shown, held or deleted, in order, a batch at a time."""
    after = 0
    while True:
        rows = list(
            await session.scalars(
                select(ChatMessage)
                .where(ChatMessage.event_id == event_id, ChatMessage.message_id > after)
                .order_by(ChatMessage.message_id)
                .limit(500)
            )
        )
        if not rows:
            return
        after = rows[-1].message_id
        yield rows


async def transcript_rows(session: AsyncSession, event_id: str) -> AsyncIterator[list[list[object]]]:
    async for batch in transcript_messages(session, event_id):
        yield [
            [m.message_id, m.created_at, m.person_id, m.author_name, m.moderator, m.text, m.reply_to_id, m.status.value]
            for m in batch
        ]


def transcript_csv(session: AsyncSession, event_id: str) -> AsyncIterator[str]:
    return stream_csv(TRANSCRIPT_HEADER, transcript_rows(session, event_id))
