"""Polls in an event's chat: 2 to 5 options, 15 to 1,800 seconds (Twitch's limits), one vote per person, ended
by time or by a moderator, kept after the event with their results.

A vote is one insert keyed on (poll, person) and one increment of its option, so concurrent votes count exactly
and a second vote of a person changes nothing. Results reach the room at most once a second (the hub's ticker):
a crowd voting at once is one frame a second per instance, not one per vote.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from golive.engagement.chat.frames import Broadcast, stamp
from golive.engagement.chat.models import ChatPoll, ChatPollOption, ChatPollVote, PollStatus
from golive.engagement.chat.people import Person
from golive.engagement.chat.service import ChatRefused
from golive.platform.db import dialect_insert, new_id, utcnow
from golive.platform.errors import Conflict, NotFound, ValidationFailed

MIN_OPTIONS, MAX_OPTIONS = 2, 5
MIN_SECONDS, MAX_SECONDS = 15, 1800


def poll_out(poll: ChatPoll, options: Sequence[ChatPollOption], now: datetime | None = None) -> dict[str, Any]:
    at = now or utcnow()
    ended = poll.status == PollStatus.ENDED or poll.ends_at <= at
    return {
        "pollId": poll.poll_id,
        "question": poll.question,
        "options": [{"optionId": o.option_id, "text": o.text, "votes": o.votes} for o in options],
        "totalVotes": sum(o.votes for o in options),
        "status": (PollStatus.ENDED if ended else PollStatus.ACTIVE).value,
        "endsAt": stamp(poll.ends_at),
        "createdAt": stamp(poll.created_at),
        "endedAt": stamp(poll.ended_at or (poll.ends_at if ended else None)),
    }


async def _options(session: AsyncSession, poll_id: str) -> list[ChatPollOption]:
    rows = await session.scalars(
        select(ChatPollOption).where(ChatPollOption.poll_id == poll_id).order_by(ChatPollOption.position)
    )
    return list(rows)


async def shown(session: AsyncSession, poll: ChatPoll) -> dict[str, Any]:
    return poll_out(poll, await _options(session, poll.poll_id))


async def poll_in(session: AsyncSession, event_id: str, poll_id: str) -> ChatPoll:
    poll = await session.get(ChatPoll, poll_id)
    if poll is None or poll.event_id != event_id:
        raise NotFound("No such poll in this chat", code="chat_poll_not_found", details={"pollId": poll_id})
    return poll


async def latest(session: AsyncSession, event_id: str) -> ChatPoll | None:
    """The running poll, else the last one (a joining viewer sees its results)."""
    poll: ChatPoll | None = await session.scalar(
        select(ChatPoll).where(ChatPoll.event_id == event_id).order_by(ChatPoll.created_at.desc()).limit(1)
    )
    return poll


async def polls(session: AsyncSession, event_id: str) -> list[dict[str, Any]]:
    """Every poll of the event with its results, newest first."""
    rows = await session.scalars(
        select(ChatPoll).where(ChatPoll.event_id == event_id).order_by(ChatPoll.created_at.desc())
    )
    return [await shown(session, poll) for poll in rows]


async def start(
    session: AsyncSession, event_id: str, moderator: Person, question: str, options: Sequence[str], seconds: int
) -> tuple[ChatPoll, Broadcast]:
    """Starts a poll; one runs at a time (a poll whose time is up is ended first)."""
    texts = [" ".join(option.split())[:120] for option in options]
    problems: dict[str, str] = {}
    if not " ".join(question.split()):
        problems["question"] = "is empty"
    if not MIN_OPTIONS <= len(texts) <= MAX_OPTIONS or not all(texts):
        problems["options"] = f"needs {MIN_OPTIONS} to {MAX_OPTIONS} options, none empty"
    elif len(set(map(str.lower, texts))) != len(texts):
        problems["options"] = "has the same option twice"
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        problems["durationSeconds"] = f"must be {MIN_SECONDS} to {MAX_SECONDS} seconds"
    if problems:
        raise ValidationFailed("The poll is not valid", fields=problems)
    now = utcnow()
    await end_expired(session, event_id, now)
    poll = ChatPoll(
        poll_id=new_id(),
        event_id=event_id,
        question=" ".join(question.split())[:255],
        status=PollStatus.ACTIVE,
        duration_seconds=seconds,
        ends_at=now + timedelta(seconds=seconds),
        created_by=moderator.person_id,
        created_at=now,
    )
    session.add(poll)
    try:
        await session.flush()
    except IntegrityError as exc:  # another moderator's poll is running (the partial unique index)
        raise Conflict("A poll is running in this chat; end it first", code="chat_poll_running") from exc
    rows = [ChatPollOption(option_id=new_id(), poll_id=poll.poll_id, position=i, text=t) for i, t in enumerate(texts)]
    session.add_all(rows)
    await session.flush()
    return poll, Broadcast({"type": "poll", "poll": poll_out(poll, rows, now)})


async def end_expired(session: AsyncSession, event_id: str, now: datetime) -> list[ChatPoll]:
    """Ends the room's running poll if its time is up; only the caller whose update won gets it back (so
    one instance announces the end, however many look)."""
    result = await session.execute(
        update(ChatPoll)
        .where(ChatPoll.event_id == event_id, ChatPoll.status == PollStatus.ACTIVE, ChatPoll.ends_at <= now)
        .values(status=PollStatus.ENDED, ended_at=ChatPoll.ends_at)
        .returning(ChatPoll.poll_id)
    )
    ended = [row[0] for row in result]
    return [await session.get_one(ChatPoll, poll_id, populate_existing=True) for poll_id in ended]


async def end(session: AsyncSession, event_id: str, poll_id: str) -> Broadcast:
    poll = await poll_in(session, event_id, poll_id)
    now = utcnow()
    if poll.status == PollStatus.ACTIVE:
        poll.status, poll.ended_at = PollStatus.ENDED, min(now, poll.ends_at)
        if poll.ends_at > now:
            poll.ends_at = now
    await session.flush()
    return Broadcast({"type": "poll", "poll": await shown(session, poll)})


async def vote(session: AsyncSession, event_id: str, person: Person, poll_id: str, option_id: str) -> bool:
    """Counts the person's vote; False when they had voted already (nothing changes)."""
    poll = await poll_in(session, event_id, poll_id)
    if poll.status != PollStatus.ACTIVE or poll.ends_at <= utcnow():
        raise ChatRefused("chat_poll_ended", "This poll has ended")
    option = await session.get(ChatPollOption, option_id)
    if option is None or option.poll_id != poll_id:
        raise ChatRefused("chat_poll_option_not_found", "That is not one of the poll's options")
    first = dialect_insert(session, ChatPollVote).values(
        poll_id=poll_id, person_id=person.person_id, option_id=option_id, created_at=utcnow()
    )
    if getattr(await session.execute(first.on_conflict_do_nothing()), "rowcount", 0) != 1:
        return False
    await session.execute(
        update(ChatPollOption).where(ChatPollOption.option_id == option_id).values(votes=ChatPollOption.votes + 1)
    )
    return True


async def vote_of(session: AsyncSession, poll_id: str, person_id: str) -> str | None:
    option: str | None = await session.scalar(
        select(ChatPollVote.option_id).where(ChatPollVote.poll_id == poll_id, ChatPollVote.person_id == person_id)
    )
    return option
