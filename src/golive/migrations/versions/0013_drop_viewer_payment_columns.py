"""viewers: drop the payment columns (is_paid_viewer, payment_status, payment_id and its index)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 07:00:00.000000

What they said is read now from where it is decided (access/payment_posture.py): a device is paid while it
holds an active payment grant (0011 backfilled them from these columns, and every payment since holds one),
refunded when a refund revoked its payment grant, and pending or failed by its own checkouts in the ledger.
Nothing needs moving first.

Dropped with plain ALTER TABLE (SQLite 3.35+ drops a column in place once no index names it): rebuilding
`viewers` the batch way would run the implicit DELETE of DROP TABLE, which the payments' ON DELETE RESTRICT
refuses and whose ON DELETE CASCADE would empty the playback sessions.

The downgrade puts them back filled by the same rule: paid with the payment of the device's active payment
grant, refunded with the payment of its latest refunded grant, else its latest pending or failed checkout (when
later than the refund), else none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAYMENT_STATUS = sa.Enum(
    "none", "pending", "success", "failed", "refunded", name="paymentstatus", native_enum=False, length=20
)


def upgrade() -> None:
    op.drop_index("ix_viewers_payment_id", table_name="viewers")
    for name in ("payment_id", "payment_status", "is_paid_viewer"):
        op.execute(f"ALTER TABLE viewers DROP COLUMN {name}")


def downgrade() -> None:
    op.add_column("viewers", sa.Column("is_paid_viewer", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("viewers", sa.Column("payment_status", PAYMENT_STATUS, server_default="none", nullable=False))
    op.add_column("viewers", sa.Column("payment_id", sa.String(length=40), nullable=True))
    op.create_index("ix_viewers_payment_id", "viewers", ["payment_id"])
    _restore()


def _restore() -> None:
    viewers = sa.table(
        "viewers",
        sa.column("viewer_id", sa.String),
        sa.column("event_id", sa.String),
        sa.column("client_viewer_id", sa.String),
        sa.column("is_paid_viewer", sa.Boolean),
        sa.column("payment_status", sa.String),
        sa.column("payment_id", sa.String),
    )
    grants = sa.table(
        "grants",
        sa.column("subject_kind", sa.String),
        sa.column("subject_id", sa.String),
        sa.column("scope_kind", sa.String),
        sa.column("scope_id", sa.String),
        sa.column("source", sa.String),
        sa.column("source_id", sa.String),
        sa.column("revoked_at", sa.DateTime),
        sa.column("revoked_reason", sa.String),
    )
    payments = sa.table(
        "payments",
        sa.column("payment_id", sa.String),
        sa.column("event_id", sa.String),
        sa.column("viewer_id", sa.String),
        sa.column("status", sa.String),
        sa.column("checkout_url", sa.String),
        sa.column("checkout_completed_at", sa.DateTime),
        sa.column("initiated_at", sa.DateTime),
    )
    of_device = sa.and_(
        grants.c.subject_kind == "guest",
        grants.c.subject_id == viewers.c.client_viewer_id,
        grants.c.scope_kind == "event",
        grants.c.scope_id == viewers.c.event_id,
        grants.c.source == "payment",
    )
    active = sa.select(grants.c.source_id).where(of_device, grants.c.revoked_at.is_(None)).limit(1)
    refunded = (
        sa.select(grants.c.source_id)
        .where(of_device, grants.c.revoked_reason == "refunded")
        .order_by(grants.c.revoked_at.desc())
        .limit(1)
    )
    refunded_at = (
        sa.select(sa.func.max(grants.c.revoked_at))
        .where(of_device, grants.c.revoked_reason == "refunded")
        .correlate(viewers)
        .scalar_subquery()
    )
    outcome = sa.select(sa.case((payments.c.status == "pending", "pending"), else_="failed")).where(
        payments.c.viewer_id == viewers.c.viewer_id,
        payments.c.event_id == viewers.c.event_id,
        sa.or_(
            sa.and_(payments.c.status == "pending", payments.c.checkout_completed_at.is_not(None)),
            sa.and_(payments.c.status == "failed", payments.c.checkout_url.is_not(None)),
        ),
        sa.or_(refunded_at.is_(None), payments.c.initiated_at > refunded_at),
    )
    latest = outcome.order_by(payments.c.initiated_at.desc(), payments.c.payment_id.desc()).limit(1)
    connection = op.get_bind()
    connection.execute(
        sa.update(viewers)
        .where(active.exists())
        .values(is_paid_viewer=True, payment_status="success", payment_id=active.scalar_subquery())
    )
    connection.execute(
        sa.update(viewers)
        .where(~active.exists(), refunded.exists())
        .values(payment_status="refunded", payment_id=refunded.scalar_subquery())
    )
    connection.execute(
        sa.update(viewers).where(~active.exists(), outcome.exists()).values(payment_status=latest.scalar_subquery())
    )
