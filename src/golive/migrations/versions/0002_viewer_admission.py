"""viewer admission: the one-time email codes of the email gate

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:21:03.197066
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import golive.platform.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_codes",
        sa.Column("code_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("expires_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_email_codes_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code_id", name=op.f("pk_email_codes")),
        sa.UniqueConstraint("event_id", "email", name=op.f("uq_email_codes_event_id_email")),
    )


def downgrade() -> None:
    op.drop_table("email_codes")
