"""An event's chat: its room settings, messages, bans and timeouts, reports and the moderation log (seed 002).

People in a chat are keyed by `person_id`: `g:<browser>` for a guest, `a:<account>` for a viewer admitted
signed in, `s:<admin>` for staff, so a ban follows an account to every device it signs in on.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from golive.access.decide import ChatPolicy
from golive.platform.db import Base, new_id, str_enum, utcnow

# SQLite gives an INTEGER PRIMARY KEY its rowid (ordered, autoincrementing); PostgreSQL a BIGINT identity.
SEQUENCE = BigInteger().with_variant(Integer(), "sqlite")


class BlockedTermAction(enum.StrEnum):
    MASK = "mask"  # the term is replaced by asterisks and the message goes out
    HOLD = "hold"  # the message waits in the moderation queue until a moderator lets it through


class MessageStatus(enum.StrEnum):
    VISIBLE = "visible"
    HELD = "held"  # a blocked term held it for review
    DELETED = "deleted"  # by a moderator (one message, everything its author wrote, or a held one refused)


class RestrictionKind(enum.StrEnum):
    TIMEOUT = "timeout"
    BAN = "ban"


class ReportStatus(enum.StrEnum):
    """A moderator's verdict on a report: approved means the report was right (the message is removed)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ChatRoom(Base):
    """An event's chat settings (one row per event, written on first change; the defaults otherwise)."""

    __tablename__ = "chat_rooms"

    event_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True
    )
    policy: Mapped[ChatPolicy] = mapped_column(str_enum(ChatPolicy), default=ChatPolicy.EVERYONE)
    links_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0)
    emote_only: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    blocked_term_action: Mapped[BlockedTermAction] = mapped_column(
        str_enum(BlockedTermAction), default=BlockedTermAction.MASK
    )
    pinned_message_id: Mapped[int | None] = mapped_column(SEQUENCE)
    embed_chat: Mapped[bool] = mapped_column(Boolean, default=False)  # the chat panel in the embedded player too
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChatMessage(Base):
    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_event_id_message_id", "event_id", "message_id"),)

    # the order of the room, and what a reconnecting client names as the last it saw
    message_id: Mapped[int] = mapped_column(SEQUENCE, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(26), ForeignKey("events.event_id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(String(40))
    author_name: Mapped[str] = mapped_column(String(80))
    moderator: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    reply_to_id: Mapped[int | None] = mapped_column(SEQUENCE)
    mentions: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[MessageStatus] = mapped_column(str_enum(MessageStatus), default=MessageStatus.VISIBLE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]


class ChatRestriction(Base):
    """A ban (until lifted) or a timeout (until it runs out) of a person in an event's chat (seed 002 chat_bans)."""

    __tablename__ = "chat_restrictions"
    __table_args__ = (Index("ix_chat_restrictions_event_id_person_id", "event_id", "person_id"),)

    restriction_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(26), ForeignKey("events.event_id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(String(40))
    person_name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[RestrictionKind] = mapped_column(str_enum(RestrictionKind))
    until: Mapped[datetime | None]  # a ban holds until lifted
    reason: Mapped[str | None] = mapped_column(String(300))
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[str | None] = mapped_column(String(40))


class ChatReport(Base):
    """The moderation queue (seed 002): a viewer's report of a message, or a message a blocked term held."""

    __tablename__ = "chat_reports"
    __table_args__ = (Index("ix_chat_reports_event_id_status", "event_id", "status"),)

    report_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(26), ForeignKey("events.event_id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(SEQUENCE, ForeignKey("chat_messages.message_id", ondelete="CASCADE"))
    reported_by: Mapped[str] = mapped_column(String(40))  # a person, or "filter" for a held message
    reason: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus), default=ReportStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by: Mapped[str | None] = mapped_column(String(40))
    resolved_at: Mapped[datetime | None]


class PollStatus(enum.StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class QuestionStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    HIDDEN = "hidden"


class ChatPoll(Base):
    """A poll in an event's chat (seed 002 polls): one runs at a time; kept after the event with its results."""

    __tablename__ = "chat_polls"
    __table_args__ = (
        Index("ix_chat_polls_event_id_created_at", "event_id", "created_at"),
        # one running poll per room, whatever the number of moderators starting one at once
        Index(
            "uq_chat_polls_active",
            "event_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    poll_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(26), ForeignKey("events.event_id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(255))
    status: Mapped[PollStatus] = mapped_column(str_enum(PollStatus), default=PollStatus.ACTIVE)
    duration_seconds: Mapped[int] = mapped_column(Integer)
    ends_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class ChatPollOption(Base):
    __tablename__ = "chat_poll_options"

    option_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    poll_id: Mapped[str] = mapped_column(String(26), ForeignKey("chat_polls.poll_id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(120))
    votes: Mapped[int] = mapped_column(Integer, default=0)


class ChatPollVote(Base):
    """One vote per person and poll: the primary key keeps it so under any concurrency."""

    __tablename__ = "chat_poll_votes"

    poll_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("chat_polls.poll_id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    option_id: Mapped[str] = mapped_column(String(26), ForeignKey("chat_poll_options.option_id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatQuestion(Base):
    """A viewer's question for the host (Q&A): others upvote it, moderators mark it answered or hide it."""

    __tablename__ = "chat_questions"
    __table_args__ = (Index("ix_chat_questions_event_id_status", "event_id", "status"),)

    question_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(26), ForeignKey("events.event_id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(String(40))
    author_name: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(String(300))
    status: Mapped[QuestionStatus] = mapped_column(str_enum(QuestionStatus), default=QuestionStatus.OPEN)
    upvotes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]


class ChatQuestionVote(Base):
    __tablename__ = "chat_question_votes"

    question_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("chat_questions.question_id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(String(40), primary_key=True)


class ChatReactionCount(Base):
    """Reactions per event, minute and emoji (seed 002 chat_reactions, kept as counts: a crowd's thousands of
    taps a second are one row per minute and emoji, not a row each)."""

    __tablename__ = "chat_reaction_counts"

    event_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True
    )
    minute: Mapped[datetime] = mapped_column(primary_key=True)
    emoji: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ChatModerationEntry(Base):
    """Who did what in a chat, to whom, and why: every moderator action, in order."""

    __tablename__ = "chat_moderation_log"
    __table_args__ = (Index("ix_chat_moderation_log_event_id_entry_id", "event_id", "entry_id"),)

    entry_id: Mapped[int] = mapped_column(SEQUENCE, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(26), ForeignKey("events.event_id", ondelete="CASCADE"))
    moderator_id: Mapped[str] = mapped_column(String(40))
    moderator_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[str | None] = mapped_column(String(40))
    message_id: Mapped[int | None] = mapped_column(SEQUENCE)
    reason: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
