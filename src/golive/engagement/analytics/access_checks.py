"""`access.decide` for open playback sessions and live-stats streams, without a read per telemetry event.

A session is decided when it opens; its telemetry asks again at most every playback_access_recheck_seconds
(at most 30), so a refunded or revoked viewer's posts are refused within that time, and a heartbeat
between two checks costs no database read.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from golive.access import watching
from golive.events import service as events_service
from golive.platform.db import Database

# sessions whose last check is remembered (the oldest are forgotten, then simply checked again)
CHECKS_KEPT = 100_000


class AccessChecks:
    def __init__(self, db: Database, every_seconds: float) -> None:
        self._db = db
        self.every_seconds = every_seconds
        self._checked: OrderedDict[str, float] = OrderedDict()

    def allowed_now(self, key: str) -> None:
        """Remember that `key` (a session) was allowed just now."""
        self._checked[key] = time.monotonic()
        self._checked.move_to_end(key)
        while len(self._checked) > CHECKS_KEPT:
            self._checked.popitem(last=False)

    def fresh(self, key: str) -> bool:
        checked = self._checked.get(key)
        return checked is not None and time.monotonic() - checked < self.every_seconds

    async def require_rights(self, key: str, viewer_id: str, event_id: str) -> None:
        """Refuses (403 not_admitted with the reason) once the viewer's rights are gone; when the event
        can be watched is not asked again (a session opened while it could be finishes its reports)."""
        if self.fresh(key):
            return
        async with self._db.sessionmaker() as session:
            event = await events_service.get_event(session, event_id)
            decision = await watching.viewer_decision(session, viewer_id, event)
        if not decision.allowed and decision.reason not in watching.SCHEDULE_REASONS:
            self._checked.pop(key, None)
            raise watching.refusal(decision, event)
        self.allowed_now(key)
