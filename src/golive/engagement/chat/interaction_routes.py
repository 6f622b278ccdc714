"""Polls, Q&A, reactions, the chat's counts (staff), and the chat played back beside a replay (viewers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import watching
from golive.access.viewer_tokens import ViewerAuth
from golive.audit.actor import Actor
from golive.engagement.chat import hooks, moderation, polls, questions, reactions
from golive.engagement.chat.frames import Broadcast, message_out
from golive.engagement.chat.models import (
    ChatMessage,
    ChatReactionCount,
    ChatReport,
    MessageStatus,
    QuestionStatus,
    ReportStatus,
)
from golive.engagement.chat.people import staff_person
from golive.engagement.chat.routes import hub_of
from golive.engagement.chat.schemas import ChatStats, PollCreate, PollOut, QuestionOut, ReactionMinute, ReplayMessage
from golive.events import service as events_service
from golive.identity.staff.auth import Editor
from golive.identity.staff.service import AuthenticatedAdmin
from golive.platform.deps import ClientIp, Ctx, EventId, Session
from golive.platform.errors import Conflict, ValidationFailed
from golive.platform.schemas import ItemList

router = APIRouter(prefix="/api/events/{eventId}/chat", tags=["chat"])

PollId = Annotated[str, Path(alias="pollId", min_length=1, max_length=40)]
QuestionId = Annotated[str, Path(alias="questionId", min_length=1, max_length=40)]
REPLAY_WINDOW_SECONDS = 600  # the longest window one replay request covers
REPLAY_MESSAGES = 1000


async def _published(request: Request, session: AsyncSession, event_id: str, broadcasts: list[Broadcast]) -> None:
    await session.commit()
    await hub_of(request.app).publish(event_id, broadcasts)


def _actor(caller: AuthenticatedAdmin, ip: str | None) -> Actor:
    return Actor(kind="admin", id=caller.admin.admin_id, ip=ip)


@router.get("/polls", response_model=ItemList[PollOut])
async def list_polls(event_id: EventId, _: Editor, session: Session) -> dict[str, Any]:
    """Every poll of the event with its results, newest first (kept after the event)."""
    await events_service.get_event(session, event_id)
    return {"items": await polls.polls(session, event_id)}


@router.post("/polls", response_model=PollOut, status_code=status.HTTP_201_CREATED)
async def start_poll(
    event_id: EventId, body: PollCreate, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> dict[str, Any]:
    """Starts a poll in the room (409 chat_poll_running while one runs)."""
    await events_service.get_event(session, event_id)
    moderator = staff_person(caller)
    poll, broadcast = await polls.start(
        session, event_id, moderator, body.question, body.options, body.duration_seconds
    )
    moderation.log_action(
        session, event_id, moderator, "poll_start", details={"question": poll.question}, actor=_actor(caller, ip)
    )
    await _published(request, session, event_id, [broadcast])
    shown: dict[str, Any] = broadcast.frame["poll"]
    return shown


@router.post("/polls/{pollId}/end", response_model=PollOut)
async def end_poll(
    event_id: EventId, poll_id: PollId, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> dict[str, Any]:
    await events_service.get_event(session, event_id)
    broadcast = await polls.end(session, event_id, poll_id)
    moderation.log_action(
        session, event_id, staff_person(caller), "poll_end", details={"pollId": poll_id}, actor=_actor(caller, ip)
    )
    await _published(request, session, event_id, [broadcast])
    shown: dict[str, Any] = broadcast.frame["poll"]
    return shown


@router.get("/questions", response_model=ItemList[QuestionOut])
async def list_questions(
    event_id: EventId,
    _: Editor,
    session: Session,
    sort: Annotated[questions.QuestionOrder, Query()] = questions.QuestionOrder.VOTES,
    status_: Annotated[QuestionStatus | None, Query(alias="status")] = None,
) -> dict[str, Any]:
    """The host view: questions most upvoted first (or newest first), open and answered, or of one status."""
    await events_service.get_event(session, event_id)
    rows = await questions.questions(session, event_id, sort, status_)
    return {"items": [questions.question_out(q) for q in rows]}


@router.post("/questions/{questionId}/answer", response_model=QuestionOut)
async def answer_question(
    event_id: EventId, question_id: QuestionId, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> dict[str, Any]:
    await events_service.get_event(session, event_id)
    broadcast = await questions.answer(session, event_id, question_id)
    moderation.log_action(
        session, event_id, staff_person(caller), "answer", details={"questionId": question_id}, actor=_actor(caller, ip)
    )
    await _published(request, session, event_id, [broadcast])
    shown: dict[str, Any] = broadcast.frame["question"]
    return shown


@router.delete("/questions/{questionId}", status_code=status.HTTP_204_NO_CONTENT)
async def hide_question(
    event_id: EventId, question_id: QuestionId, caller: Editor, session: Session, request: Request, ip: ClientIp
) -> Response:
    await events_service.get_event(session, event_id)
    broadcast = await questions.hide(session, event_id, question_id)
    moderation.log_action(
        session,
        event_id,
        staff_person(caller),
        "hide_question",
        details={"questionId": question_id},
        actor=_actor(caller, ip),
    )
    await _published(request, session, event_id, [broadcast])
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/reactions", response_model=ItemList[ReactionMinute])
async def reaction_counts(event_id: EventId, _: Editor, session: Session) -> dict[str, Any]:
    """Reactions per minute and emoji, oldest first."""
    await events_service.get_event(session, event_id)
    return {"items": await reactions.per_minute(session, event_id)}


@router.get("/stats", response_model=ChatStats)
async def chat_stats(event_id: EventId, _: Editor, session: Session, request: Request) -> dict[str, Any]:
    """The control room's counts."""
    await events_service.get_event(session, event_id)
    shown = (ChatMessage.event_id == event_id) & (ChatMessage.status == MessageStatus.VISIBLE)
    messages, chatters = (
        await session.execute(select(func.count(), func.count(distinct(ChatMessage.person_id))).where(shown))
    ).one()
    pending = await session.scalar(
        select(func.count()).where(ChatReport.event_id == event_id, ChatReport.status == ReportStatus.PENDING)
    )
    open_questions = len(await questions.questions(session, event_id, status=QuestionStatus.OPEN))
    tapped = await session.scalar(
        select(func.coalesce(func.sum(ChatReactionCount.count), 0)).where(ChatReactionCount.event_id == event_id)
    )
    return {
        "messages": messages,
        "chatters": chatters,
        "connectedHere": hub_of(request.app).count(event_id),
        "pendingReports": pending or 0,
        "openQuestions": open_questions,
        "reactions": tapped or 0,
    }


@router.get("/replay", response_model=ItemList[ReplayMessage])
async def chat_replay(
    event_id: EventId,
    viewer: ViewerAuth,
    ctx: Ctx,
    session: Session,
    from_: Annotated[float, Query(alias="from", ge=0, le=10**7, description="seconds into the replay")] = 0,
    to: Annotated[float | None, Query(ge=0, le=10**7, description="end of the window (at most 10 min on)")] = None,
) -> dict[str, Any]:
    """The live chat beside the replay (the viewer token, as for playback): the messages that show in [from, to)
    of the replay, each with its offset, oldest first. Read-only."""
    viewer.require_event(event_id)
    event = await events_service.get_event(session, event_id)
    await watching.require_watch(session, viewer.viewer_id, event)
    end = from_ + REPLAY_WINDOW_SECONDS if to is None else to
    if end <= from_ or end - from_ > REPLAY_WINDOW_SECONDS:
        raise ValidationFailed("The window runs from `from` to at most 10 minutes on", fields={"to": "out of range"})
    timeline = await hooks.replay_timeline.call(session, ctx.settings, event_id)
    if timeline is None:
        raise Conflict("This event's video is not a recording of its broadcast", code="chat_replay_unavailable")
    lower, upper = timeline.earliest_moment(from_), timeline.earliest_moment(end)
    which = select(ChatMessage).where(ChatMessage.event_id == event_id, ChatMessage.status == MessageStatus.VISIBLE)
    if lower is not None:
        which = which.where(ChatMessage.created_at >= lower)
    if upper is not None and end < timeline.length:
        which = which.where(ChatMessage.created_at < upper)
    items = []
    for message in await session.scalars(which.order_by(ChatMessage.message_id).limit(REPLAY_MESSAGES)):
        offset = timeline.offset_of(message.created_at)
        if offset is not None and from_ <= offset < end:
            items.append({**message_out(message), "offsetSeconds": round(offset, 3)})
    return {"items": items}
