"""grants: every right a subject holds on a scope (gate cleared, payment), backfilled from today's viewers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 01:20:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from ulid_transform import ulid_now

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    grants = op.create_table(
        "grants",
        sa.Column("grant_id", sa.String(length=26), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=254), nullable=False),
        sa.Column("scope_kind", sa.String(length=20), nullable=False),
        sa.Column("scope_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=40), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("grant_id", name=op.f("pk_grants")),
    )
    op.create_index(
        "uq_grants_active",
        "grants",
        ["subject_kind", "subject_id", "scope_kind", "scope_id", "source"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.create_index("ix_grants_source_source_id", "grants", ["source", "source_id"])
    op.create_index("ix_grants_scope_kind_scope_id", "grants", ["scope_kind", "scope_id"])
    _backfill(grants)


def _backfill(grants: sa.Table) -> None:
    """A viewer that cleared its gate holds a gate grant for that gate; one whose row names a payment holds
    that payment's grant, active while it is paid, revoked when the payment was refunded."""
    viewers = sa.table(
        "viewers",
        sa.column("event_id", sa.String),
        sa.column("client_viewer_id", sa.String),
        sa.column("access_mode", sa.String),
        sa.column("access_verified", sa.Boolean),
        sa.column("is_paid_viewer", sa.Boolean),
        sa.column("payment_status", sa.String),
        sa.column("payment_id", sa.String),
        sa.column("first_join_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    now = datetime.now(UTC)
    result = connection.execute(
        sa.select(viewers).where(sa.or_(viewers.c.access_verified.is_(True), viewers.c.payment_id.is_not(None)))
    )
    rows: list[dict[str, object]] = []
    for viewer in result.mappings():
        common = {
            "subject_kind": "guest",
            "subject_id": viewer["client_viewer_id"],
            "scope_kind": "event",
            "scope_id": viewer["event_id"],
            "valid_from": viewer["first_join_at"],
            "valid_until": None,
            "created_by": "system:migration",
            "created_at": viewer["first_join_at"],
        }
        if viewer["access_verified"]:
            rows.append(
                {
                    **common,
                    "grant_id": ulid_now(),
                    "source": "gate",
                    "source_id": viewer["access_mode"],
                    "revoked_at": None,
                    "revoked_reason": None,
                }
            )
        refunded = viewer["payment_status"] == "refunded"
        if viewer["payment_id"] is not None and (viewer["is_paid_viewer"] or refunded):
            rows.append(
                {
                    **common,
                    "grant_id": ulid_now(),
                    "source": "payment",
                    "source_id": viewer["payment_id"],
                    "revoked_at": None if viewer["is_paid_viewer"] else now,
                    "revoked_reason": None if viewer["is_paid_viewer"] else "refunded",
                }
            )
    for start in range(0, len(rows), BATCH):
        op.bulk_insert(grants, rows[start : start + BATCH])


def downgrade() -> None:
    op.drop_index("ix_grants_scope_kind_scope_id", table_name="grants")
    op.drop_index("ix_grants_source_source_id", table_name="grants")
    op.drop_index("uq_grants_active", table_name="grants")
    op.drop_table("grants")
