"""chat: rooms, messages, restrictions, reports and the moderation log

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 18:30:00.000000
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
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_chat_rooms_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_chat_rooms")),
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


def downgrade() -> None:
    with op.batch_alter_table("chat_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_reports_event_id_status")

    op.drop_table("chat_reports")
    op.drop_table("chat_rooms")
    with op.batch_alter_table("chat_restrictions", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_restrictions_event_id_person_id")

    op.drop_table("chat_restrictions")
    with op.batch_alter_table("chat_moderation_log", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_moderation_log_event_id_entry_id")

    op.drop_table("chat_moderation_log")
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_messages_event_id_message_id")

    op.drop_table("chat_messages")
