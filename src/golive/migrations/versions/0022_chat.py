"""chat: rooms, messages, bans and timeouts, reports, the moderation log, polls, Q&A and reaction counts

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 18:07:29.885481
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import golive.platform.db

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_messages",
        sa.Column(
            "message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("author_name", sa.String(length=80), nullable=False),
        sa.Column("moderator", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply_to_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("mentions", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("visible", "held", "deleted", name="messagestatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_messages_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_chat_messages")),
    )
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.create_index("ix_chat_messages_event_id_message_id", ["event_id", "message_id"], unique=False)

    op.create_table(
        "chat_moderation_log",
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("moderator_id", sa.String(length=40), nullable=False),
        sa.Column("moderator_name", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=True),
        sa.Column("message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_moderation_log_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_chat_moderation_log")),
    )
    with op.batch_alter_table("chat_moderation_log", schema=None) as batch_op:
        batch_op.create_index("ix_chat_moderation_log_event_id_entry_id", ["event_id", "entry_id"], unique=False)

    op.create_table(
        "chat_polls",
        sa.Column("poll_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("question", sa.String(length=255), nullable=False),
        sa.Column(
            "status", sa.Enum("active", "ended", name="pollstatus", native_enum=False, length=20), nullable=False
        ),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("ends_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_polls_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_chat_polls")),
    )
    with op.batch_alter_table("chat_polls", schema=None) as batch_op:
        batch_op.create_index("ix_chat_polls_event_id_created_at", ["event_id", "created_at"], unique=False)
        batch_op.create_index(
            "uq_chat_polls_active",
            ["event_id"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "chat_questions",
        sa.Column("question_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("author_name", sa.String(length=80), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "answered", "hidden", name="questionstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_questions_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("question_id", name=op.f("pk_chat_questions")),
    )
    with op.batch_alter_table("chat_questions", schema=None) as batch_op:
        batch_op.create_index("ix_chat_questions_event_id_status", ["event_id", "status"], unique=False)

    op.create_table(
        "chat_reaction_counts",
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("minute", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("emoji", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_reaction_counts_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "minute", "emoji", name=op.f("pk_chat_reaction_counts")),
    )
    op.create_table(
        "chat_restrictions",
        sa.Column("restriction_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("person_name", sa.String(length=80), nullable=False),
        sa.Column(
            "kind", sa.Enum("timeout", "ban", name="restrictionkind", native_enum=False, length=20), nullable=False
        ),
        sa.Column("until", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_restrictions_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("restriction_id", name=op.f("pk_chat_restrictions")),
    )
    with op.batch_alter_table("chat_restrictions", schema=None) as batch_op:
        batch_op.create_index("ix_chat_restrictions_event_id_person_id", ["event_id", "person_id"], unique=False)

    op.create_table(
        "chat_rooms",
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column(
            "policy",
            sa.Enum("everyone", "accounts", "nobody", name="chatpolicy", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("links_allowed", sa.Boolean(), nullable=False),
        sa.Column("slow_mode_seconds", sa.Integer(), nullable=False),
        sa.Column("emote_only", sa.Boolean(), nullable=False),
        sa.Column("blocked_terms", sa.JSON(), nullable=False),
        sa.Column(
            "blocked_term_action",
            sa.Enum("mask", "hold", name="blockedtermaction", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("pinned_message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("embed_chat", sa.Boolean(), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_rooms_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_chat_rooms")),
    )
    op.create_table(
        "chat_poll_options",
        sa.Column("option_id", sa.String(length=26), nullable=False),
        sa.Column("poll_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=120), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["chat_polls.poll_id"],
            name=op.f("fk_chat_poll_options_poll_id_chat_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("option_id", name=op.f("pk_chat_poll_options")),
    )
    with op.batch_alter_table("chat_poll_options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_poll_options_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "chat_question_votes",
        sa.Column("question_id", sa.String(length=26), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["chat_questions.question_id"],
            name=op.f("fk_chat_question_votes_question_id_chat_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("question_id", "person_id", name=op.f("pk_chat_question_votes")),
    )
    op.create_table(
        "chat_reports",
        sa.Column("report_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reported_by", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=255), nullable=True),
        sa.Column(
            "status",
            sa.Enum("pending", "approved", "rejected", name="reportstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=40), nullable=True),
        sa.Column("resolved_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_reports_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["chat_messages.message_id"],
            name=op.f("fk_chat_reports_message_id_chat_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_chat_reports")),
    )
    with op.batch_alter_table("chat_reports", schema=None) as batch_op:
        batch_op.create_index("ix_chat_reports_event_id_status", ["event_id", "status"], unique=False)

    op.create_table(
        "chat_poll_votes",
        sa.Column("poll_id", sa.String(length=26), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("option_id", sa.String(length=26), nullable=False),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["chat_poll_options.option_id"],
            name=op.f("fk_chat_poll_votes_option_id_chat_poll_options"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["chat_polls.poll_id"], name=op.f("fk_chat_poll_votes_poll_id_chat_polls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("poll_id", "person_id", name=op.f("pk_chat_poll_votes")),
    )


def downgrade() -> None:
    op.drop_table("chat_poll_votes")
    with op.batch_alter_table("chat_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_reports_event_id_status")

    op.drop_table("chat_reports")
    op.drop_table("chat_question_votes")
    with op.batch_alter_table("chat_poll_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_poll_options_poll_id"))

    op.drop_table("chat_poll_options")
    op.drop_table("chat_rooms")
    with op.batch_alter_table("chat_restrictions", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_restrictions_event_id_person_id")

    op.drop_table("chat_restrictions")
    op.drop_table("chat_reaction_counts")
    with op.batch_alter_table("chat_questions", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_questions_event_id_status")

    op.drop_table("chat_questions")
    with op.batch_alter_table("chat_polls", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_chat_polls_active",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.drop_index("ix_chat_polls_event_id_created_at")

    op.drop_table("chat_polls")
    with op.batch_alter_table("chat_moderation_log", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_moderation_log_event_id_entry_id")

    op.drop_table("chat_moderation_log")
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_messages_event_id_message_id")

    op.drop_table("chat_messages")
