"""`access.decide` for open playback sessions and live-stats streams, without a read per telemetry event.

A viewer (admission record) is decided when a session opens; their telemetry and live-stats stream ask
again at most every playback_access_recheck_seconds (at most 30), so a heartbeat between two checks costs
no database read. A revoked grant does not wait for that: the revoking unit of work's notice
(`access.revocations`, heard from every app instance) drops the viewer's check at once, so their very next
post decides again, and wakes their open live-stats streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterator

from golive.access import revocations, watching
from golive.events import service as events_service
from golive.platform.db import Database

# viewers whose last check is remembered (the oldest are forgotten, then simply checked again)
CHECKS_KEPT = 100_000


class AccessChecks:
    def __init__(self, db: Database, every_seconds: float) -> None:
        self._db = db
        self.every_seconds = every_seconds
        self._checked: OrderedDict[str, float] = OrderedDict()
        self._streams: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._heard = 0

    def listen(self) -> None:
        """Hears revocations (this instance's at once, the others' through the realtime broker)."""
        self._db.notices.listen(revocations.REVOKED_TOPIC, self._revoked)

    def unlisten(self) -> None:
        self._db.notices.unlisten(revocations.REVOKED_TOPIC, self._revoked)

    @property
    def heard(self) -> int:
        """How many revocations this instance has heard; taken before a decision is read (`allowed_now`)."""
        return self._heard

    def allowed_now(self, viewer_id: str, heard: int) -> None:
        """Remember that the viewer was allowed by a decision read after `heard` revocations; not when one
        arrived meanwhile (the read may predate it: the next post decides again)."""
        if heard != self._heard:
            self._checked.pop(viewer_id, None)
            return
        self._checked[viewer_id] = time.monotonic()
        self._checked.move_to_end(viewer_id)
        while len(self._checked) > CHECKS_KEPT:
            self._checked.popitem(last=False)

    def fresh(self, viewer_id: str) -> bool:
        checked = self._checked.get(viewer_id)
        return checked is not None and time.monotonic() - checked < self.every_seconds

    async def require_rights(self, viewer_id: str, event_id: str) -> None:
        """Refuses (403 not_admitted with the reason) once the viewer's rights are gone; when the event
        can be watched is not asked again (a session opened while it could be finishes its reports)."""
        if self.fresh(viewer_id):
            return
        heard = self._heard
        async with self._db.sessionmaker() as session:
            event = await events_service.get_event(session, event_id)
            decision = await watching.viewer_decision(session, viewer_id, event)
        if not decision.allowed and decision.reason not in watching.SCHEDULE_REASONS:
            self._checked.pop(viewer_id, None)
            raise watching.refusal(decision, event)
        self.allowed_now(viewer_id, heard)

    @contextlib.contextmanager
    def revocations_of(self, viewer_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever one of the viewer's grants is revoked (a live-stats stream waits on it)."""
        revoked = asyncio.Event()
        self._streams[viewer_id].add(revoked)
        try:
            yield revoked
        finally:
            waiting = self._streams.get(viewer_id)
            if waiting is not None:
                waiting.discard(revoked)
                if not waiting:
                    del self._streams[viewer_id]

    def _revoked(self, message: str) -> None:
        self._heard += 1
        for viewer_id in revocations.revoked_viewers(message):
            self._checked.pop(viewer_id, None)
            for revoked in self._streams.get(viewer_id, ()):
                revoked.set()
