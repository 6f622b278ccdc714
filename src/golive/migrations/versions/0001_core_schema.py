"""core schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 23:58:18.387089
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import golive.platform.db

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "admins",
        sa.Column("admin_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum("owner", "admin", "editor", name="adminrole", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("active", "inactive", name="adminstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("last_login_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("admin_id", name=op.f("pk_admins")),
        sa.UniqueConstraint("email", name=op.f("uq_admins_email")),
    )
    op.create_table(
        "audit_log",
        sa.Column("audit_id", sa.String(length=26), nullable=False),
        sa.Column("actor_type", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column(
            "before",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "after",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("timestamp", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index("ix_audit_log_entity", ["entity_type", "entity_id", "timestamp"], unique=False)

    op.create_table(
        "email_messages",
        sa.Column("email_id", sa.String(length=26), nullable=False),
        sa.Column("recipient_email", sa.String(length=254), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=True),
        sa.Column("viewer_id", sa.String(length=26), nullable=True),
        sa.Column("email_type", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sent",
                "delivered",
                "bounced",
                "failed",
                name="emailstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("provider", sa.String(length=50), nullable=True),
        sa.Column("provider_message_id", sa.String(length=255), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("sent_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email_id", name=op.f("pk_email_messages")),
    )
    with op.batch_alter_table("email_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_messages_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_messages_email_type"), ["email_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_messages_event_id"), ["event_id"], unique=False)
        batch_op.create_index("ix_email_messages_recipient_created", ["recipient_email", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_messages_status"), ["status"], unique=False)

    op.create_table(
        "provider_events",
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_event_id", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("payment_id", sa.String(length=40), nullable=True),
        sa.Column("received_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "provider_event_id", name=op.f("pk_provider_events")),
    )
    with op.batch_alter_table("provider_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provider_events_payment_id"), ["payment_id"], unique=False)

    op.create_table(
        "admin_sessions",
        sa.Column("session_id", sa.String(length=26), nullable=False),
        sa.Column("admin_id", sa.String(length=26), nullable=False),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.ForeignKeyConstraint(
            ["admin_id"],
            ["admins.admin_id"],
            name=op.f("fk_admin_sessions_admin_id_admins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_admin_sessions")),
    )
    with op.batch_alter_table("admin_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_sessions_admin_id"), ["admin_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("thumbnail_url", sa.String(length=1024), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "scheduled",
                "live",
                "ended",
                "archived",
                "cancelled",
                name="eventstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "event_type",
            sa.Enum("live", "vod", name="eventtype", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("scheduled_start", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("scheduled_end", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("auto_start", sa.Boolean(), nullable=False),
        sa.Column("auto_end", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=26), nullable=True),
        sa.Column(
            "access_type",
            sa.Enum("anonymous", "form", "password", "email", name="accesstype", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("access_password_hash", sa.String(length=255), nullable=True),
        sa.Column(
            "form_fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("is_paid_event", sa.Boolean(), nullable=False),
        sa.Column("price_amount", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("payment_provider", sa.String(length=20), nullable=True),
        sa.Column("stripe_product_id", sa.String(length=255), nullable=True),
        sa.Column("stripe_price_id", sa.String(length=255), nullable=True),
        sa.Column(
            "stripe_setup_status",
            sa.Enum("pending", "created", "failed", name="stripesetupstatus", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column(
            "embed_settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("deleted_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["admins.admin_id"], name=op.f("fk_events_created_by_admins"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index("ix_events_scheduled_start", ["scheduled_start"], unique=False)
        batch_op.create_index("ix_events_status_scheduled_start", ["status", "scheduled_start"], unique=False)

    op.create_table(
        "automation_log",
        sa.Column("automation_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column(
            "trigger_type",
            sa.Enum(
                "preStart",
                "postStop",
                "transcode",
                "cleanup",
                "schedule",
                "paymentSetup",
                "recording",
                name="triggertype",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column(
            "execution_status",
            sa.Enum("pending", "success", "failed", name="executionstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("timestamp", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_automation_log_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("automation_id", name=op.f("pk_automation_log")),
    )
    with op.batch_alter_table("automation_log", schema=None) as batch_op:
        batch_op.create_index("ix_automation_log_event_id_timestamp", ["event_id", "timestamp"], unique=False)

    op.create_table(
        "viewers",
        sa.Column("viewer_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("client_viewer_id", sa.String(length=128), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column(
            "access_mode",
            sa.Enum("anonymous", "form", "password", "email", name="accesstype", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "form_data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("access_verified", sa.Boolean(), nullable=False),
        sa.Column("is_paid_viewer", sa.Boolean(), nullable=False),
        sa.Column(
            "payment_status",
            sa.Enum(
                "none",
                "pending",
                "success",
                "failed",
                "refunded",
                name="paymentstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "device_type",
            sa.Enum(
                "desktop",
                "mobile",
                "tablet",
                "tv",
                "bot",
                "unknown",
                name="devicetype",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("first_join_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_join_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("total_sessions", sa.Integer(), nullable=False),
        sa.Column("total_watch_time", sa.Integer(), nullable=False),
        sa.Column("last_position", sa.Float(), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_viewers_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("viewer_id", name=op.f("pk_viewers")),
        sa.UniqueConstraint("event_id", "client_viewer_id", name=op.f("uq_viewers_event_id_client_viewer_id")),
    )
    with op.batch_alter_table("viewers", schema=None) as batch_op:
        batch_op.create_index("ix_viewers_email_event_id", ["email", "event_id"], unique=False)

    op.create_table(
        "payments",
        sa.Column("payment_id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("viewer_id", sa.String(length=26), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_payment_intent_id", sa.String(length=255), nullable=True),
        sa.Column("provider_checkout_session_id", sa.String(length=255), nullable=True),
        sa.Column("provider_customer_id", sa.String(length=255), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("refunded_amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "created",
                "pending",
                "succeeded",
                "failed",
                "refunded",
                name="ledgerstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("payment_method", sa.String(length=64), nullable=True),
        sa.Column("receipt_url", sa.String(length=1024), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("initiated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_payments_event_id_events"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"],
            ["viewers.viewer_id"],
            name=op.f("fk_payments_viewer_id_viewers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_payments")),
        sa.UniqueConstraint("provider_checkout_session_id", name=op.f("uq_payments_provider_checkout_session_id")),
        sa.UniqueConstraint("provider_payment_intent_id", name=op.f("uq_payments_provider_payment_intent_id")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index("ix_payments_event_id_status", ["event_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_viewer_id"), ["viewer_id"], unique=False)

    op.create_table(
        "playback_sessions",
        sa.Column("session_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.String(length=26), nullable=False),
        sa.Column("viewer_id", sa.String(length=26), nullable=False),
        sa.Column("start_time", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end_time", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column(
            "playback_type",
            sa.Enum("live", "vod", name="eventtype", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column(
            "device_info",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "location",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("startup_ms", sa.Integer(), nullable=True),
        sa.Column("rebuffer_count", sa.Integer(), nullable=False),
        sa.Column("rebuffer_ms", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("rendition_switches", sa.Integer(), nullable=False),
        sa.Column("last_position", sa.Float(), nullable=True),
        sa.Column("last_heartbeat_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_playback_sessions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"],
            ["viewers.viewer_id"],
            name=op.f("fk_playback_sessions_viewer_id_viewers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_playback_sessions")),
    )
    with op.batch_alter_table("playback_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_playback_sessions_event_id_start_time", ["event_id", "start_time"], unique=False)
        batch_op.create_index(batch_op.f("ix_playback_sessions_viewer_id"), ["viewer_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("playback_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playback_sessions_viewer_id"))
        batch_op.drop_index("ix_playback_sessions_event_id_start_time")

    op.drop_table("playback_sessions")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_viewer_id"))
        batch_op.drop_index("ix_payments_event_id_status")

    op.drop_table("payments")
    with op.batch_alter_table("viewers", schema=None) as batch_op:
        batch_op.drop_index("ix_viewers_email_event_id")

    op.drop_table("viewers")
    with op.batch_alter_table("automation_log", schema=None) as batch_op:
        batch_op.drop_index("ix_automation_log_event_id_timestamp")

    op.drop_table("automation_log")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_status_scheduled_start")
        batch_op.drop_index("ix_events_scheduled_start")
        batch_op.drop_index(batch_op.f("ix_events_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_events_created_by"))

    op.drop_table("events")
    with op.batch_alter_table("admin_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_sessions_admin_id"))

    op.drop_table("admin_sessions")
    with op.batch_alter_table("provider_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_events_payment_id"))

    op.drop_table("provider_events")
    with op.batch_alter_table("email_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_messages_status"))
        batch_op.drop_index("ix_email_messages_recipient_created")
        batch_op.drop_index(batch_op.f("ix_email_messages_event_id"))
        batch_op.drop_index(batch_op.f("ix_email_messages_email_type"))
        batch_op.drop_index(batch_op.f("ix_email_messages_created_at"))

    op.drop_table("email_messages")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")
        batch_op.drop_index(batch_op.f("ix_audit_log_actor_id"))

    op.drop_table("audit_log")
    op.drop_table("admins")
