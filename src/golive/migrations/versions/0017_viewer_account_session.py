"""viewers: the account session a browser was signed in with when it was admitted

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 17:05:00.000000

A signed-in viewer's rights are the browser's and the account's: playback and checkout read the account
through this link while its session is live, so signing out (here or everywhere) ends them on the next request.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ALTER TABLE, no foreign key: rebuilding `viewers` the batch way would run the implicit DELETE of DROP
    # TABLE (0013). A link to a session that is gone (an erased account) simply counts for nothing.
    op.add_column("viewers", sa.Column("account_session_id", sa.String(length=26), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE viewers DROP COLUMN account_session_id")
