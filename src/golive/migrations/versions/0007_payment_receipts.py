"""payments: when each receipt went out, so a sweep can send the ones a crash lost

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import golive.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("receipt_sent_at", golive.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_index("ix_payments_status_receipt_sent_at", ["status", "receipt_sent_at"])
    # payments confirmed before this column existed had their receipt sent inline: never send it again
    op.execute(
        "UPDATE payments SET receipt_sent_at = confirmed_at "
        "WHERE confirmed_at IS NOT NULL AND status IN ('succeeded', 'refunded')"
    )


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.drop_index("ix_payments_status_receipt_sent_at")
        batch.drop_column("receipt_sent_at")
