"""What moderators do in a chat: delete, clear, hide a person's messages, time out, ban and lift, pin, settle
reports and change the room's settings. Every action is written to the moderation log (who, what, why) and, when
a staff member does it, to the audit trail; its broadcasts reach every instance's sockets once committed.

Callers have asked `access.decide` (Action.MODERATE) before they come here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.access.decide import ChatPolicy
from golive.audit.actor import Actor
from golive.engagement.chat.frames import Broadcast, error_frame, message_out, restriction_out, room_out, stamp
from golive.engagement.chat.models import (
    BlockedTermAction,
    ChatMessage,
    ChatModerationEntry,
    ChatReport,
    ChatRestriction,
    ChatRoom,
    MessageStatus,
    ReportStatus,
    RestrictionKind,
)
from golive.engagement.chat.people import Person
from golive.engagement.chat.rules import clean_terms
from golive.engagement.chat.service import FILTER, message_in, room_of
from golive.platform.db import new_id, utcnow
from golive.platform.errors import Conflict, NotFound

# Twitch's range for a timeout
MIN_TIMEOUT_SECONDS = 1
MAX_TIMEOUT_SECONDS = 14 * 24 * 3600


@dataclass(frozen=True)
class Moderated:
    broadcasts: list[Broadcast]
    entry: ChatModerationEntry
    restriction: ChatRestriction | None = None  # the ban or timeout just made


def log_action(
    session: AsyncSession,
    event_id: str,
    moderator: Person,
    action: str,
    *,
    person_id: str | None = None,
    message_id: int | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> ChatModerationEntry:
    entry = ChatModerationEntry(
        event_id=event_id,
        moderator_id=moderator.person_id,
        moderator_name=moderator.name,
        action=action,
        person_id=person_id,
        message_id=message_id,
        reason=reason,
        details=details or {},
        created_at=utcnow(),
    )
    session.add(entry)
    if actor is not None:
        audit.record(
            session,
            actor_type=actor.kind,
            actor_id=actor.id,
            action=f"chat.{action}",
            entity_type="event",
            entity_id=event_id,
            after={"personId": person_id, "messageId": message_id, "reason": reason, **(details or {})},
            ip_address=actor.ip,
        )
    return entry


async def delete_message(
    session: AsyncSession, event_id: str, moderator: Person, message_id: int, reason: str | None, actor: Actor | None
) -> Moderated:
    message = await message_in(session, event_id, message_id)
    if message.status != MessageStatus.DELETED:
        message.status, message.deleted_at = MessageStatus.DELETED, utcnow()
    entry = log_action(
        session,
        event_id,
        moderator,
        "delete",
        person_id=message.person_id,
        message_id=message_id,
        reason=reason,
        actor=actor,
    )
    return Moderated([Broadcast({"type": "deleted", "messageIds": [str(message_id)]})], entry)


async def clear(
    session: AsyncSession, event_id: str, moderator: Person, reason: str | None, actor: Actor | None
) -> Moderated:
    """Every message shown so far leaves the room (the transcript keeps them, marked deleted)."""
    await session.execute(
        update(ChatMessage)
        .where(ChatMessage.event_id == event_id, ChatMessage.status == MessageStatus.VISIBLE)
        .values(status=MessageStatus.DELETED, deleted_at=utcnow())
    )
    room = await session.get(ChatRoom, event_id)
    if room is not None:
        room.pinned_message_id = None
    entry = log_action(session, event_id, moderator, "clear", reason=reason, actor=actor)
    return Moderated([Broadcast({"type": "cleared"})], entry)


async def hide_person(
    session: AsyncSession, event_id: str, moderator: Person, person_id: str, reason: str | None, actor: Actor | None
) -> Moderated:
    """Everything the person wrote leaves the room."""
    ids = list(
        await session.scalars(
            select(ChatMessage.message_id).where(
                ChatMessage.event_id == event_id,
                ChatMessage.person_id == person_id,
                ChatMessage.status != MessageStatus.DELETED,
            )
        )
    )
    if ids:
        await session.execute(
            update(ChatMessage)
            .where(ChatMessage.message_id.in_(ids))
            .values(status=MessageStatus.DELETED, deleted_at=utcnow())
        )
    entry = log_action(
        session,
        event_id,
        moderator,
        "hide",
        person_id=person_id,
        reason=reason,
        details={"messages": len(ids)},
        actor=actor,
    )
    return Moderated([Broadcast({"type": "deleted", "messageIds": [str(i) for i in ids]})], entry)


async def _person_name(session: AsyncSession, event_id: str, person_id: str) -> str:
    name = await session.scalar(
        select(ChatMessage.author_name)
        .where(ChatMessage.event_id == event_id, ChatMessage.person_id == person_id)
        .order_by(ChatMessage.message_id.desc())
        .limit(1)
    )
    return name or person_id


async def restrict(
    session: AsyncSession,
    event_id: str,
    moderator: Person,
    person_id: str,
    kind: RestrictionKind,
    seconds: int | None,
    reason: str | None,
    actor: Actor | None,
) -> Moderated:
    """A timeout (`seconds`, 1 s to 14 days) keeps the person reading but not posting; a ban closes their
    sockets on every instance. A new one replaces what the person had."""
    if person_id == moderator.person_id:
        raise Conflict("Moderators cannot restrict themselves", code="chat_self_restriction")
    now = utcnow()
    await _lift_all(session, event_id, person_id, moderator, now)
    until = now + timedelta(seconds=seconds) if kind == RestrictionKind.TIMEOUT and seconds is not None else None
    restriction = ChatRestriction(
        restriction_id=new_id(),
        event_id=event_id,
        person_id=person_id,
        person_name=await _person_name(session, event_id, person_id),
        kind=kind,
        until=until,
        reason=reason,
        created_by=moderator.person_id,
        created_at=now,
    )
    session.add(restriction)
    details = {"seconds": seconds} if seconds is not None else {}
    entry = log_action(
        session, event_id, moderator, kind.value, person_id=person_id, reason=reason, details=details, actor=actor
    )
    told = Broadcast({"type": "restricted", "restriction": restriction_out(restriction)}, moderators_only=True)
    if kind == RestrictionKind.BAN:
        frame = error_frame("banned", "A moderator removed you from this chat")
        return Moderated([Broadcast(frame, to=person_id, close=True), told], entry, restriction)
    frame = error_frame(
        "timed_out",
        "A moderator paused your messages for a while; you can read the chat meanwhile",
        until=stamp(until),
    )
    return Moderated([Broadcast(frame, to=person_id), told], entry, restriction)


async def _lift_all(session: AsyncSession, event_id: str, person_id: str, moderator: Person, now: datetime) -> int:
    result = await session.execute(
        update(ChatRestriction)
        .where(
            ChatRestriction.event_id == event_id,
            ChatRestriction.person_id == person_id,
            ChatRestriction.lifted_at.is_(None),
        )
        .values(lifted_at=now, lifted_by=moderator.person_id)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def lift(
    session: AsyncSession, event_id: str, moderator: Person, person_id: str, actor: Actor | None
) -> Moderated:
    """Unbans (or ends the timeout of) a person."""
    if not await _lift_all(session, event_id, person_id, moderator, utcnow()):
        raise NotFound("This person is not banned or timed out here", code="chat_restriction_not_found")
    entry = log_action(session, event_id, moderator, "unban", person_id=person_id, actor=actor)
    lifted = Broadcast({"type": "lifted", "personId": person_id}, moderators_only=True)
    return Moderated([Broadcast({"type": "restored"}, to=person_id), lifted], entry)


async def restrictions(session: AsyncSession, event_id: str) -> list[dict[str, Any]]:
    """The bans and timeouts in force, newest first."""
    now = utcnow()
    rows = await session.scalars(
        select(ChatRestriction)
        .where(ChatRestriction.event_id == event_id, ChatRestriction.lifted_at.is_(None))
        .order_by(ChatRestriction.created_at.desc())
    )
    return [restriction_out(r) for r in rows if r.until is None or r.until > now]


async def _stored_room(session: AsyncSession, event_id: str) -> ChatRoom:
    room = await session.get(ChatRoom, event_id)
    if room is None:
        room = await room_of(session, event_id)
        session.add(room)
    return room


async def pin(
    session: AsyncSession, event_id: str, moderator: Person, message_id: int | None, actor: Actor | None
) -> Moderated:
    """Pins a shown message above the chat, or unpins (None)."""
    message = await message_in(session, event_id, message_id) if message_id is not None else None
    if message is not None and message.status != MessageStatus.VISIBLE:
        raise Conflict("Only a message the room can see can be pinned", code="chat_message_not_visible")
    room = await _stored_room(session, event_id)
    room.pinned_message_id = message_id
    entry = log_action(
        session, event_id, moderator, "pin" if message_id else "unpin", message_id=message_id, actor=actor
    )
    frame = {"type": "pinned", "message": message_out(message) if message is not None else None}
    return Moderated([Broadcast(frame)], entry)


async def resolve_report(
    session: AsyncSession, event_id: str, moderator: Person, report_id: str, verdict: ReportStatus, actor: Actor | None
) -> Moderated:
    """Approving a report removes its message; rejecting it leaves the message, and lets a held one out."""
    if verdict == ReportStatus.PENDING:
        raise Conflict("A report is settled as approved or rejected", code="chat_report_verdict")
    report = await session.get(ChatReport, report_id)
    if report is None or report.event_id != event_id:
        raise NotFound("No such report", code="chat_report_not_found", details={"reportId": report_id})
    message = await message_in(session, event_id, report.message_id)
    now = utcnow()
    report.status, report.resolved_by, report.resolved_at = verdict, moderator.person_id, now
    settled = {"type": "report_settled", "reportId": report_id, "status": verdict.value}
    broadcasts: list[Broadcast] = [Broadcast(settled, moderators_only=True)]  # the other consoles' queues
    if verdict == ReportStatus.APPROVED and message.status != MessageStatus.DELETED:
        was_visible = message.status == MessageStatus.VISIBLE
        message.status, message.deleted_at = MessageStatus.DELETED, now
        if was_visible:
            broadcasts.append(Broadcast({"type": "deleted", "messageIds": [str(message.message_id)]}))
    elif verdict == ReportStatus.REJECTED and report.reported_by == FILTER and message.status == MessageStatus.HELD:
        message.status = MessageStatus.VISIBLE
        broadcasts.append(Broadcast({"type": "message", "message": message_out(message)}))
    entry = log_action(
        session,
        event_id,
        moderator,
        f"report_{verdict.value}",
        person_id=message.person_id,
        message_id=message.message_id,
        actor=actor,
    )
    return Moderated(broadcasts, entry)


@dataclass(frozen=True)
class RoomChanges:
    policy: ChatPolicy | None = None
    links_allowed: bool | None = None
    slow_mode_seconds: int | None = None
    emote_only: bool | None = None
    blocked_terms: list[str] | None = None
    blocked_term_action: BlockedTermAction | None = None
    embed_chat: bool | None = None


async def save_room(
    session: AsyncSession, event_id: str, moderator: Person, changes: RoomChanges, actor: Actor | None
) -> tuple[ChatRoom, Moderated]:
    room = await _stored_room(session, event_id)
    changed: dict[str, Any] = {}
    for name in ("policy", "links_allowed", "slow_mode_seconds", "emote_only", "blocked_term_action", "embed_chat"):
        value = getattr(changes, name)
        if value is not None and getattr(room, name) != value:
            setattr(room, name, value)
            changed[name] = value.value if hasattr(value, "value") else value
    if changes.blocked_terms is not None:
        terms = clean_terms(changes.blocked_terms)
        if terms != list(room.blocked_terms):
            room.blocked_terms = terms
            changed["blocked_terms"] = len(terms)
    entry = log_action(session, event_id, moderator, "settings", details=changed, actor=actor)
    public = room_out(room)
    public.pop("blockedTerms")  # the list itself is for moderators
    return room, Moderated([Broadcast({"type": "settings", "settings": public})], entry)


async def moderation_log(session: AsyncSession, event_id: str, limit: int = 500) -> Sequence[ChatModerationEntry]:
    rows = await session.scalars(
        select(ChatModerationEntry)
        .where(ChatModerationEntry.event_id == event_id)
        .order_by(ChatModerationEntry.entry_id.desc())
        .limit(limit)
    )
    return list(rows)
