"""uploads.lock_token, uploads.locked_until: the lease one PATCH holds on an upload, across instances

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import golive.platform.db

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("uploads") as batch:
        batch.add_column(sa.Column("lock_token", sa.String(length=26), nullable=True))
        batch.add_column(sa.Column("locked_until", golive.platform.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("uploads") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("lock_token")
