"""events.content_rating: seed 001's age rating, which a profile's limit is checked against (access.decide)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ALTER TABLE: rebuilding `events` the batch way would cascade DROP TABLE's delete to what references it
    rating = sa.Enum("G", "PG", "PG-13", "R", "TV-MA", name="contentrating", native_enum=False, length=8)
    op.add_column("events", sa.Column("content_rating", rating, nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE events DROP COLUMN content_rating")
