"""analytics: raw playback events, session rollup columns, daily aggregates for retention

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 00:45:55.126394
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import golive.platform.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_concurrency_deltas",
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_analytics_concurrency_deltas_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "minute", name=op.f("pk_analytics_concurrency_deltas")),
    )
    op.create_table(
        "analytics_daily",
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("watch_seconds", sa.BigInteger(), nullable=False),
        sa.Column("vod_sessions", sa.Integer(), nullable=False),
        sa.Column("percent_watched_sum", sa.Float(), nullable=False),
        sa.Column("finishes", sa.Integer(), nullable=False),
        sa.Column("rebuffer_ms", sa.BigInteger(), nullable=False),
        sa.Column("failed_sessions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_analytics_daily_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "day", name=op.f("pk_analytics_daily")),
    )
    op.create_table(
        "analytics_daily_breakdowns",
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("watch_seconds", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_analytics_daily_breakdowns_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "day", "dimension", "key", name=op.f("pk_analytics_daily_breakdowns")),
    )
    op.create_table(
        "analytics_daily_viewers",
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("viewer_id", sa.String(length=26), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_analytics_daily_viewers_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "day", "viewer_id", name=op.f("pk_analytics_daily_viewers")),
    )
    op.create_table(
        "playback_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column(
            "event_type",
            sa.Enum(
                "start",
                "heartbeat",
                "rebufferStart",
                "rebufferEnd",
                "renditionSwitch",
                "seek",
                "pause",
                "error",
                "end",
                name="playbackeventtype",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("received_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("position", sa.Float(), nullable=True),
        sa.Column("played", sa.Float(), nullable=True),
        sa.Column("rendition", sa.String(length=32), nullable=True),
        sa.Column("bitrate_kbps", sa.Integer(), nullable=True),
        sa.Column("buffer_seconds", sa.Float(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.String(length=500), nullable=True),
        sa.Column("fatal", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["playback_sessions.session_id"],
            name=op.f("fk_playback_events_session_id_playback_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playback_events")),
    )
    with op.batch_alter_table("playback_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_playback_events_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("playback_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "end_reason",
                sa.Enum("completed", "stopped", "error", "timeout", name="endreason", native_enum=False, length=16),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("device_type", sa.String(length=20), nullable=False, server_default=sa.text("'unknown'"))
        )
        batch_op.add_column(
            sa.Column("browser", sa.String(length=64), nullable=False, server_default=sa.text("'Other'"))
        )
        batch_op.add_column(sa.Column("os", sa.String(length=64), nullable=False, server_default=sa.text("'Other'")))
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("rendition", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("bitrate_kbps", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("media_duration", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("fatal_error", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("finished", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("max_position", sa.Float(), nullable=True))
        batch_op.create_index(
            "ix_playback_sessions_open_last_seen",
            ["last_heartbeat_at"],
            unique=False,
            postgresql_where=sa.text("end_time IS NULL"),
            sqlite_where=sa.text("end_time IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("playback_sessions", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_playback_sessions_open_last_seen",
            postgresql_where=sa.text("end_time IS NULL"),
            sqlite_where=sa.text("end_time IS NULL"),
        )
        batch_op.drop_column("max_position")
        batch_op.drop_column("finished")
        batch_op.drop_column("fatal_error")
        batch_op.drop_column("media_duration")
        batch_op.drop_column("bitrate_kbps")
        batch_op.drop_column("rendition")
        batch_op.drop_column("country")
        batch_op.drop_column("os")
        batch_op.drop_column("browser")
        batch_op.drop_column("device_type")
        batch_op.drop_column("end_reason")

    with op.batch_alter_table("playback_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playback_events_session_id"))

    op.drop_table("playback_events")
    op.drop_table("analytics_daily_viewers")
    op.drop_table("analytics_daily_breakdowns")
    op.drop_table("analytics_daily")
    op.drop_table("analytics_concurrency_deltas")
