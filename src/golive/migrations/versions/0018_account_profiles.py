"""account profiles: up to five people under one account, each with a PIN, kids mode and an avatar

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 17:30:00.000000

`accounts.profile_count` is raised by a conditional UPDATE before a profile is added (the limit holds under
parallel requests); `account_sessions.profile_id` is who is watching on that device.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import golive.platform.db

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = golive.platform.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "account_profiles",
        sa.Column("profile_id", sa.String(length=26), nullable=False),
        sa.Column("account_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("is_kids", sa.Boolean(), nullable=False),
        sa.Column(
            "max_rating",
            sa.Enum("G", "PG", "PG-13", "R", "TV-MA", name="contentrating", native_enum=False, length=8),
            nullable=True,
        ),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("preferences", golive.platform.db.JSONType, nullable=False),
        sa.Column("pin_hash", sa.String(length=255), nullable=True),
        sa.Column("avatar", sa.LargeBinary(), nullable=True),
        sa.Column("avatar_updated_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_account_profiles_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_account_profiles")),
    )
    with op.batch_alter_table("account_profiles") as batch:
        batch.create_index(batch.f("ix_account_profiles_account_id"), ["account_id"], unique=False)
    # plain ALTER TABLE: rebuilding `accounts` or `account_sessions` the batch way would cascade the implicit
    # DELETE of DROP TABLE to their sessions and profiles
    op.add_column("accounts", sa.Column("profile_count", sa.SmallInteger(), nullable=False, server_default="0"))
    op.add_column("account_sessions", sa.Column("profile_id", sa.String(length=26), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE account_sessions DROP COLUMN profile_id")
    op.execute("ALTER TABLE accounts DROP COLUMN profile_count")
    with op.batch_alter_table("account_profiles") as batch:
        batch.drop_index(batch.f("ix_account_profiles_account_id"))
    op.drop_table("account_profiles")
