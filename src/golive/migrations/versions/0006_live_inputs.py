"""live: live inputs, ingest sessions, recordings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 02:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import golive.platform.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "live_inputs",
        sa.Column("live_input_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("key_nonce", sa.String(length=64), nullable=False),
        sa.Column("stream_key_digest", sa.String(length=64), nullable=False),
        sa.Column("key_rotated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "state",
            sa.Enum("idle", "connected", "reconnecting", "ended", name="ingeststate", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("publisher_id", sa.String(length=120), nullable=True),
        sa.Column("publisher_seen_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.Column("connected_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("disconnected_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reconnect_deadline", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_media_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("health", JSON, nullable=False),
        sa.Column("stream_ready_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "recording_status",
            sa.Enum(
                "none",
                "recording",
                "pending",
                "processing",
                "ready",
                "failed",
                name="recordingstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("recording_duration", sa.Float(), nullable=True),
        sa.Column("recording_probe", JSON, nullable=False),
        sa.Column("recording_error", sa.String(length=2000), nullable=True),
        sa.Column("replay_asset_id", sa.String(length=26), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_live_inputs_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("live_input_id", name=op.f("pk_live_inputs")),
        sa.UniqueConstraint("event_id", name=op.f("uq_live_inputs_event_id")),
        sa.UniqueConstraint("stream_key_digest", name=op.f("uq_live_inputs_stream_key_digest")),
    )
    with op.batch_alter_table("live_inputs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_live_inputs_state"), ["state"], unique=False)

    # A live replay is (a trimmed part of) the recording: the transcode reads only [clip_start, clip_end).
    with op.batch_alter_table("media_assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clip_start", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("clip_end", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("media_assets", schema=None) as batch_op:
        batch_op.drop_column("clip_end")
        batch_op.drop_column("clip_start")
    with op.batch_alter_table("live_inputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_live_inputs_state"))
    op.drop_table("live_inputs")
