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
    with op.batch_alter_table("viewers") as batch:
        batch.add_column(sa.Column("account_session_id", sa.String(length=26), nullable=True))
        batch.create_foreign_key(
            "fk_viewers_account_session_id_account_sessions",
            "account_sessions",
            ["account_session_id"],
            ["session_id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("viewers") as batch:
        batch.drop_constraint("fk_viewers_account_session_id_account_sessions", type_="foreignkey")
        batch.drop_column("account_session_id")
