"""media: tus uploads in flight and the media assets made from them

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 00:22:30.197559
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import golive.platform.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_assets",
        sa.Column("asset_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column(
            "status",
            sa.Enum("uploaded", "processing", "ready", "failed", name="assetstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("source_filename", sa.String(length=255), nullable=False),
        sa.Column("source_size", sa.BigInteger(), nullable=False),
        sa.Column("source_path", sa.String(length=512), nullable=False),
        sa.Column(
            "source_probe",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column(
            "renditions", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("master_playlist", sa.String(length=255), nullable=True),
        sa.Column("poster", sa.String(length=255), nullable=True),
        sa.Column("thumbnails", sa.String(length=255), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("heartbeat_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ready_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("purged_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_media_assets_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("asset_id", name=op.f("pk_media_assets")),
    )
    with op.batch_alter_table("media_assets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_assets_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index("ix_media_assets_event_id_created_at", ["event_id", "created_at"], unique=False)
        batch_op.create_index("ix_media_assets_status_heartbeat_at", ["status", "heartbeat_at"], unique=False)

    op.create_table(
        "uploads",
        sa.Column("upload_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("created_by", sa.String(length=26), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("filetype", sa.String(length=255), nullable=True),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("asset_id", sa.String(length=26), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["admins.admin_id"], name=op.f("fk_uploads_created_by_admins"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_uploads_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("upload_id", name=op.f("pk_uploads")),
    )
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_uploads_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_uploads_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_uploads_expires_at"))
        batch_op.drop_index(batch_op.f("ix_uploads_event_id"))

    op.drop_table("uploads")
    with op.batch_alter_table("media_assets", schema=None) as batch_op:
        batch_op.drop_index("ix_media_assets_status_heartbeat_at")
        batch_op.drop_index("ix_media_assets_event_id_created_at")
        batch_op.drop_index(batch_op.f("ix_media_assets_deleted_at"))

    op.drop_table("media_assets")
