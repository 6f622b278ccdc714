"""grants: an index on (subject, scope) over every row, revoked and expired ones too

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 07:10:00.000000

`decide` reads every grant a subject holds on a scope (entitlements.grants_of: revoked and expired ones too,
so a refusal can say why). The partial unique index covers active rows only, and the scope index alone made
that read scan all of an event's grants: tens of thousands at a large event, on every decision.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_grants_subject_scope", "grants", ["subject_kind", "subject_id", "scope_kind", "scope_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_grants_subject_scope", table_name="grants")
