"""payments: when each receipt went out (a sweep sends the ones an outage held back); viewers: the
payment that opened the event to each row (a refund closes every row that copied it)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import golive.platform.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("receipt_sent_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_index("ix_payments_status_receipt_sent_at", ["status", "receipt_sent_at"])
    with op.batch_alter_table("viewers") as batch:
        batch.add_column(sa.Column("payment_id", sa.String(length=40), nullable=True))
        batch.create_index("ix_viewers_payment_id", ["payment_id"])
    # a paying row stands on its latest succeeded payment; a row that copied one, on its email's payer's
    op.execute(
        "UPDATE viewers SET payment_id = (SELECT p.payment_id FROM payments p WHERE p.viewer_id = viewers.viewer_id "
        "AND p.status = 'succeeded' ORDER BY p.confirmed_at DESC LIMIT 1) WHERE is_paid_viewer"
    )
    op.execute(
        "UPDATE viewers SET payment_id = (SELECT p.payment_id FROM payments p JOIN viewers v ON v.viewer_id = "
        "p.viewer_id WHERE v.event_id = viewers.event_id AND v.email = viewers.email AND p.status = 'succeeded' "
        "ORDER BY p.confirmed_at DESC LIMIT 1) WHERE is_paid_viewer AND payment_id IS NULL AND email IS NOT NULL"
    )
    # payments confirmed before this column existed had their receipt sent inline: never send it again
    op.execute(
        "UPDATE payments SET receipt_sent_at = confirmed_at "
        "WHERE confirmed_at IS NOT NULL AND status IN ('succeeded', 'refunded')"
    )


def downgrade() -> None:
    with op.batch_alter_table("viewers") as batch:
        batch.drop_index("ix_viewers_payment_id")
        batch.drop_column("payment_id")
    with op.batch_alter_table("payments") as batch:
        batch.drop_index("ix_payments_status_receipt_sent_at")
        batch.drop_column("receipt_sent_at")
