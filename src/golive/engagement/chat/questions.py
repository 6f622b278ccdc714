"""Q&A: viewers ask the host, others upvote (once each), moderators mark a question answered or hide it; the host
view sorts by votes. Questions follow the chat's text rules (length, links, blocked terms masked)."""

from __future__ import annotations

import enum
from dataclasses import replace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive.engagement.chat.frames import Broadcast, stamp
from golive.engagement.chat.models import BlockedTermAction, ChatQuestion, ChatQuestionVote, QuestionStatus
from golive.engagement.chat.people import Person
from golive.engagement.chat.rules import MessageRefused, RoomRules, check_text
from golive.engagement.chat.service import ChatRefused, room_of, rules_of
from golive.platform.db import dialect_insert, new_id, utcnow
from golive.platform.errors import NotFound

MAX_QUESTION_LENGTH = 300
SHOWN_ON_JOIN = 50


class QuestionOrder(enum.StrEnum):
    VOTES = "votes"
    NEWEST = "newest"


def question_out(question: ChatQuestion) -> dict[str, Any]:
    return {
        "questionId": question.question_id,
        "author": {"personId": question.person_id, "name": question.author_name},
        "text": question.text,
        "upvotes": question.upvotes,
        "status": question.status.value,
        "createdAt": stamp(question.created_at),
    }


async def ask(session: AsyncSession, event_id: str, person: Person, text: str, moderator: bool) -> Broadcast:
    """The caller has decided Action.CHAT for the person. A blocked term is masked here, never held."""
    rules = rules_of(await room_of(session, event_id))
    if len(" ".join(text.split())) > MAX_QUESTION_LENGTH:
        raise ChatRefused("question_too_long", f"A question holds at most {MAX_QUESTION_LENGTH} characters")
    try:
        checked = check_text(text, _masking(rules), moderator)
    except MessageRefused as exc:
        raise ChatRefused(exc.code, exc.message) from exc
    question = ChatQuestion(
        question_id=new_id(),
        event_id=event_id,
        person_id=person.person_id,
        author_name=person.name,
        text=checked.text,
        status=QuestionStatus.OPEN,
        upvotes=0,
        created_at=utcnow(),
    )
    session.add(question)
    await session.flush()
    return Broadcast({"type": "question", "question": question_out(question)})


def _masking(rules: RoomRules) -> RoomRules:
    return replace(rules, blocked_term_action=BlockedTermAction.MASK)


async def question_in(session: AsyncSession, event_id: str, question_id: str) -> ChatQuestion:
    question = await session.get(ChatQuestion, question_id)
    if question is None or question.event_id != event_id or question.status == QuestionStatus.HIDDEN:
        raise NotFound("No such question", code="chat_question_not_found", details={"questionId": question_id})
    return question


async def upvote(session: AsyncSession, event_id: str, person: Person, question_id: str) -> Broadcast | None:
    """One upvote per person and question (a second one changes nothing and broadcasts nothing)."""
    question = await question_in(session, event_id, question_id)
    first = dialect_insert(session, ChatQuestionVote).values(question_id=question_id, person_id=person.person_id)
    if getattr(await session.execute(first.on_conflict_do_nothing()), "rowcount", 0) != 1:
        return None
    await session.execute(
        update(ChatQuestion).where(ChatQuestion.question_id == question_id).values(upvotes=ChatQuestion.upvotes + 1)
    )
    await session.refresh(question)
    return Broadcast({"type": "question", "question": question_out(question)})


async def upvoted_by(session: AsyncSession, person_id: str, question_ids: list[str]) -> set[str]:
    """Which of these questions the person upvoted (their join frame marks them)."""
    if not question_ids:
        return set()
    rows = await session.scalars(
        select(ChatQuestionVote.question_id).where(
            ChatQuestionVote.person_id == person_id, ChatQuestionVote.question_id.in_(question_ids)
        )
    )
    return set(rows)


async def answer(session: AsyncSession, event_id: str, question_id: str) -> Broadcast:
    question = await question_in(session, event_id, question_id)
    question.status, question.answered_at = QuestionStatus.ANSWERED, utcnow()
    await session.flush()
    return Broadcast({"type": "question", "question": question_out(question)})


async def hide(session: AsyncSession, event_id: str, question_id: str) -> Broadcast:
    question = await question_in(session, event_id, question_id)
    question.status = QuestionStatus.HIDDEN
    return Broadcast({"type": "question_removed", "questionId": question_id})


async def questions(
    session: AsyncSession,
    event_id: str,
    order: QuestionOrder = QuestionOrder.VOTES,
    status: QuestionStatus | None = None,
    limit: int = 500,
) -> list[ChatQuestion]:
    """Questions not hidden (or of one status), most upvoted first (ties: the oldest first) or newest first."""
    which = select(ChatQuestion).where(ChatQuestion.event_id == event_id)
    shown = ChatQuestion.status == status if status else ChatQuestion.status != QuestionStatus.HIDDEN
    which = which.where(shown)
    if order == QuestionOrder.VOTES:
        which = which.order_by(ChatQuestion.upvotes.desc(), ChatQuestion.created_at, ChatQuestion.question_id)
    else:
        which = which.order_by(ChatQuestion.created_at.desc(), ChatQuestion.question_id.desc())
    return list(await session.scalars(which.limit(limit)))
