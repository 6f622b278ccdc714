"""grants: one index for "one active grant per (subject, scope, source)" and for a subject's grants on a scope

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 14:00:00.000000

Two indexes led by the (random) browser id put every new grant on two random leaves: under a crowd of new
viewers SQLite's commit wrote both. `active_key` is 0 while a grant is active and NULL once revoked; NULLs
never conflict in a unique index, so a unique index on (subject, scope, source, active_key) keeps the rule of
the partial unique index and, over every row, serves decide's read of all a subject's grants on a scope.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["subject_kind", "subject_id", "scope_kind", "scope_id", "source"]


def upgrade() -> None:
    op.add_column("grants", sa.Column("active_key", sa.SmallInteger(), nullable=True))
    op.execute("UPDATE grants SET active_key = 0 WHERE revoked_at IS NULL")
    op.drop_index("uq_grants_active", table_name="grants")
    op.drop_index("ix_grants_subject_scope", table_name="grants")
    op.create_index("uq_grants_active", "grants", [*KEY, "active_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_grants_active", table_name="grants")
    with op.batch_alter_table("grants") as batch:
        batch.drop_column("active_key")
    op.create_index("ix_grants_subject_scope", "grants", KEY[:4], unique=False)
    op.create_index(
        "uq_grants_active",
        "grants",
        KEY,
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
