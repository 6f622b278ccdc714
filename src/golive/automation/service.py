"""The automation log: what the platform did on its own around an event, and how it went."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.automation.models import AutomationLog, ExecutionStatus, TriggerType


def record(
    session: AsyncSession,
    *,
    event_id: str,
    trigger: TriggerType,
    action: str,
    status: ExecutionStatus = ExecutionStatus.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AutomationLog:
    entry = AutomationLog(
        event_id=event_id,
        trigger_type=trigger,
        action=action,
        execution_status=status,
        details=details or {},
    )
    session.add(entry)
    return entry


async def list_for_event(session: AsyncSession, event_id: str) -> list[AutomationLog]:
    result = await session.scalars(
        select(AutomationLog)
        .where(AutomationLog.event_id == event_id)
        .order_by(AutomationLog.timestamp.desc(), AutomationLog.automation_id.desc())
        .limit(500)
    )
    return list(result)
