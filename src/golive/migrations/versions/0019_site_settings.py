"""site settings: the white-label row (seed 003 platform_settings) and which events the home page lists

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 02:00:00.000000

The one settings row is written here, so no request ever has to create it. `events.is_listed` is false for
every event that exists already: an event shared only by its link must not appear on a public home page
without the organizer's say; events created from now on are listed unless unticked.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import golive.platform.db

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = golive.platform.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    settings = op.create_table(
        "platform_settings",
        sa.Column("settings_id", sa.SmallInteger(), nullable=False),
        sa.Column("platform_name", sa.String(length=80), nullable=False),
        sa.Column("primary_color", sa.String(length=7), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("hero_background", sa.LargeBinary(), nullable=True),
        sa.Column("hero_title", sa.String(length=120), nullable=True),
        sa.Column("hero_subtitle", sa.String(length=300), nullable=True),
        sa.Column("hero_cta_text", sa.String(length=40), nullable=True),
        sa.Column("hero_cta_link", sa.String(length=500), nullable=True),
        sa.Column("featured_event_ids", golive.platform.db.JSONType, nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("social_links", golive.platform.db.JSONType, nullable=False),
        sa.Column("about_content", sa.Text(), nullable=False),
        sa.Column("about_html", sa.Text(), nullable=False),
        sa.Column("email_from_name", sa.String(length=80), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("updated_by", sa.String(length=26), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("settings_id", name=op.f("pk_platform_settings")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        settings,
        [
            {
                "settings_id": 1,
                "platform_name": "GoLive",
                "primary_color": "#4f46e5",
                "featured_event_ids": [],
                "social_links": {},
                "about_content": "",
                "about_html": "",
                "timezone": "UTC",
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    # plain ALTER TABLE: rebuilding `events` the batch way would cascade DROP TABLE's delete to what references it
    op.add_column("events", sa.Column("is_listed", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.execute("ALTER TABLE events DROP COLUMN is_listed")
    op.drop_table("platform_settings")
