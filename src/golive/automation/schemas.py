from __future__ import annotations

from datetime import datetime
from typing import Any

from golive.automation.models import ExecutionStatus, TriggerType
from golive.platform.schemas import CamelModel


class AutomationEntryOut(CamelModel):
    automation_id: str
    event_id: str
    trigger_type: TriggerType
    action: str
    execution_status: ExecutionStatus
    timestamp: datetime
    details: dict[str, Any]
