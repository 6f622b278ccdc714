"""live_inputs: who pulls an nginx-rtmp stream (the relay's lease) and from where, so another instance takes over

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("live_inputs") as batch:
        batch.add_column(sa.Column("relay_owner", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("relay_url", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("live_inputs") as batch:
        batch.drop_column("relay_url")
        batch.drop_column("relay_owner")
