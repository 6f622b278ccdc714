"""The automation log: every lifecycle hook, job start and end, with its outcome (seed 000 section 4.6)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, new_id, str_enum, utcnow


class TriggerType(enum.StrEnum):
    PRE_START = "preStart"
    POST_STOP = "postStop"
    TRANSCODE = "transcode"
    CLEANUP = "cleanup"
    SCHEDULE = "schedule"
    PAYMENT_SETUP = "paymentSetup"
    RECORDING = "recording"
    INGEST = "ingest"
    SECURITY = "security"


class ExecutionStatus(enum.StrEnum):
    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"


class AutomationLog(Base):
    __tablename__ = "automation_log"
    __table_args__ = (Index("ix_automation_log_event_id_timestamp", "event_id", "timestamp"),)

    automation_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"))
    trigger_type: Mapped[TriggerType] = mapped_column(str_enum(TriggerType))
    action: Mapped[str] = mapped_column(String(100))
    execution_status: Mapped[ExecutionStatus] = mapped_column(str_enum(ExecutionStatus))
    timestamp: Mapped[datetime] = mapped_column(default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
