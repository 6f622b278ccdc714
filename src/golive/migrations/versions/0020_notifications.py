"""notifications: the bell of an account (one per account and occasion), and its email preferences

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import golive.platform.db

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = golive.platform.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("notification_id", sa.String(length=26), nullable=False),
        sa.Column("account_id", sa.String(length=26), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "purchase_receipt",
                "event_starting_soon",
                "event_live",
                "access_expiring",
                "announcement",
                name="notificationtype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("event_id", sa.String(length=26), nullable=True),
        sa.Column("dedupe_key", sa.String(length=120), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("read_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_notifications_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("notification_id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications") as batch:
        batch.create_index("ix_notifications_account_id_created_at", ["account_id", "created_at"], unique=False)
        batch.create_index("ux_notifications_account_id_dedupe_key", ["account_id", "dedupe_key"], unique=True)
    op.create_table(
        "notification_preferences",
        sa.Column("account_id", sa.String(length=26), nullable=False),
        sa.Column("reminder_emails", sa.Boolean(), nullable=False),
        sa.Column("announcement_emails", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_notification_preferences_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_notification_preferences")),
    )


def downgrade() -> None:
    op.drop_table("notification_preferences")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("ux_notifications_account_id_dedupe_key")
        batch.drop_index("ix_notifications_account_id_created_at")
    op.drop_table("notifications")
