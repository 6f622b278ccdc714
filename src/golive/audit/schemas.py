from __future__ import annotations

from datetime import datetime
from typing import Any

from golive.platform.schemas import CamelModel


class AuditEntryOut(CamelModel):
    audit_id: str
    actor_type: str
    actor_id: str | None
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    timestamp: datetime
