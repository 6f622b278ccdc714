"""The chat's REST shapes (the socket's frames are in `frames`, as plain JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from golive.access.decide import ChatPolicy
from golive.engagement.chat.models import BlockedTermAction, ChatModerationEntry, ReportStatus, RestrictionKind
from golive.engagement.chat.moderation import MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS
from golive.platform.schemas import CamelModel, InputModel

PERSON_ID = Field(min_length=3, max_length=40, description="a person's id in the chat (`author.personId` of a message)")
REASON = Field(default=None, max_length=300, description="why, for the moderation log")


class ChatSettingsOut(CamelModel):
    policy: ChatPolicy = Field(description="who may post: everyone who may watch, signed-in accounts, or nobody")
    links_allowed: bool
    slow_mode_seconds: int
    emote_only: bool
    blocked_terms: list[str]
    blocked_term_action: BlockedTermAction = Field(description="mask the term, or hold the message for review")
    pinned_message_id: str | None
    embed_chat: bool = Field(description="the chat panel shows in the embedded player too")


class ChatSettingsUpdate(InputModel):
    policy: ChatPolicy | None = None
    links_allowed: bool | None = None
    slow_mode_seconds: int | None = Field(default=None, ge=0, le=3600, description="0 turns slow mode off")
    emote_only: bool | None = None
    blocked_terms: list[str] | None = Field(default=None, max_length=500)
    blocked_term_action: BlockedTermAction | None = None
    embed_chat: bool | None = None


class ModerationReason(InputModel):
    reason: str | None = REASON


class PersonAction(InputModel):
    person_id: str = PERSON_ID
    reason: str | None = REASON


class RestrictionCreate(InputModel):
    person_id: str = PERSON_ID
    kind: RestrictionKind
    seconds: int | None = Field(
        default=None,
        ge=MIN_TIMEOUT_SECONDS,
        le=MAX_TIMEOUT_SECONDS,
        description="a timeout's length, 1 s to 14 days (required for a timeout, not for a ban)",
    )
    reason: str | None = REASON


class RestrictionOut(CamelModel):
    restriction_id: str
    person_id: str
    name: str
    kind: RestrictionKind
    until: str | None
    reason: str | None
    created_by: str
    created_at: str | None


class PinUpdate(InputModel):
    message_id: int | None = Field(default=None, ge=1, description="the message to pin; null unpins")


class ReportVerdict(InputModel):
    status: ReportStatus = Field(
        description="approved (the message is removed) or rejected (it stays; a held one is shown)"
    )


class ChatAuthor(CamelModel):
    person_id: str
    name: str
    moderator: bool


class ChatMessageOut(CamelModel):
    message_id: str
    author: ChatAuthor
    text: str
    reply_to: str | None
    mentions: list[str]
    status: str
    created_at: str | None


class ChatReportOut(CamelModel):
    report_id: str
    status: ReportStatus
    reported_by: str = Field(description='a person id, or "filter" for a message a blocked term held')
    reason: str | None
    created_at: datetime
    message: ChatMessageOut


class ModerationEntryOut(CamelModel):
    entry_id: int
    moderator_id: str
    moderator_name: str
    action: str
    person_id: str | None
    message_id: str | None
    reason: str | None
    details: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, entry: ChatModerationEntry) -> ModerationEntryOut:
        return cls(
            entry_id=entry.entry_id,
            moderator_id=entry.moderator_id,
            moderator_name=entry.moderator_name,
            action=entry.action,
            person_id=entry.person_id,
            message_id=str(entry.message_id) if entry.message_id is not None else None,
            reason=entry.reason,
            details=entry.details,
            created_at=entry.created_at,
        )


class ModeratorCreate(InputModel):
    email: str = Field(
        min_length=3, max_length=254, description="they moderate once signed in with an account that proved it"
    )


class ModeratorOut(CamelModel):
    moderator_id: str
    email: str
    created_at: datetime
    created_by: str


class PollOption(CamelModel):
    option_id: str
    text: str
    votes: int


class PollOut(CamelModel):
    poll_id: str
    question: str
    options: list[PollOption]
    total_votes: int
    status: str = Field(description="active or ended")
    ends_at: str | None
    created_at: str | None
    ended_at: str | None


class PollCreate(InputModel):
    question: str = Field(min_length=1, max_length=255)
    options: list[str] = Field(min_length=2, max_length=5, description="2 to 5 choices")
    duration_seconds: int = Field(ge=15, le=1800, description="15 s to 30 min")


class QuestionAuthor(CamelModel):
    person_id: str
    name: str


class QuestionOut(CamelModel):
    question_id: str
    author: QuestionAuthor
    text: str
    upvotes: int
    status: str = Field(description="open or answered")
    created_at: str | None


class ReactionMinute(CamelModel):
    minute: datetime
    emoji: str
    count: int


class ChatStats(CamelModel):
    messages: int = Field(description="messages shown to the room")
    chatters: int = Field(description="people who wrote at least one message")
    connected_here: int = Field(description="sockets open on the instance that answered")
    pending_reports: int
    open_questions: int
    reactions: int = Field(description="reactions counted so far")


class ReplayMessage(ChatMessageOut):
    offset_seconds: float = Field(description="where the message falls in the replay")
