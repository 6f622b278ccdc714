"""payments: ledger refunds, provider setup, webhook bookkeeping

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 02:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import golive.platform.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "local_checkout_sessions",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("payment_intent_id", sa.String(length=64), nullable=False),
        sa.Column("charge_id", sa.String(length=64), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("customer_email", sa.String(length=254), nullable=True),
        sa.Column("success_url", sa.String(length=2048), nullable=False),
        sa.Column("cancel_url", sa.String(length=2048), nullable=False),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("open", "complete", "expired", name="localsessionstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("payment_status", sa.String(length=20), nullable=False),
        sa.Column("card_brand", sa.String(length=20), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("amount_refunded", sa.Integer(), nullable=False),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_local_checkout_sessions")),
        sa.UniqueConstraint("charge_id", name=op.f("uq_local_checkout_sessions_charge_id")),
        sa.UniqueConstraint("payment_intent_id", name=op.f("uq_local_checkout_sessions_payment_intent_id")),
    )
    op.create_table(
        "payment_refunds",
        sa.Column("refund_id", sa.String(length=40), nullable=False),
        sa.Column("payment_id", sa.String(length=40), nullable=False),
        sa.Column("provider_refund_id", sa.String(length=255), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("pending", "succeeded", "failed", name="refundstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=26), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.payment_id"],
            name=op.f("fk_payment_refunds_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("refund_id", name=op.f("pk_payment_refunds")),
        sa.UniqueConstraint("provider_refund_id", name=op.f("uq_payment_refunds_provider_refund_id")),
    )
    with op.batch_alter_table("payment_refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_refunds_payment_id"), ["payment_id"], unique=False)

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("checkout_url", sa.String(length=2048), nullable=True))
        batch_op.add_column(
            sa.Column("checkout_expires_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("checkout_completed_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_payments_initiated_at", ["initiated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_initiated_at")
        batch_op.drop_column("checkout_completed_at")
        batch_op.drop_column("checkout_expires_at")
        batch_op.drop_column("checkout_url")
        batch_op.drop_column("customer_email")

    with op.batch_alter_table("payment_refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_refunds_payment_id"))

    op.drop_table("payment_refunds")
    op.drop_table("local_checkout_sessions")
