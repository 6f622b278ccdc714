"""Revoked grants reach every cache of a decision at once: the revoking unit of work, once committed, sends
a notice naming the admission records whose browser lost a grant, and every app instance that remembers
an allowed check for one of them (telemetry, live stats) forgets it and decides again.

The notice names admission records (viewer ids), what playback sessions and viewer tokens carry, so a
listener needs no read to know whom it concerns.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.access.grant_models import Grant, ScopeKind, SubjectKind
from golive.access.models import Viewer
from golive.platform.unit_of_work import notify_after_commit

REVOKED_TOPIC = "access.revoked"


async def announce(session: AsyncSession, revoked: Sequence[Grant]) -> None:
    """Queues the notice for the grants revoked in this unit of work (sent once it commits)."""
    guests: dict[str, set[str]] = defaultdict(set)
    for grant in revoked:
        if grant.subject_kind == SubjectKind.GUEST and grant.scope_kind == ScopeKind.EVENT:
            guests[grant.scope_id].add(grant.subject_id)
    viewer_ids: list[str] = []
    for event_id, devices in guests.items():
        rows = await session.scalars(
            select(Viewer.viewer_id).where(Viewer.event_id == event_id, Viewer.client_viewer_id.in_(devices))
        )
        viewer_ids.extend(rows)
    if viewer_ids:
        notify_after_commit(session, REVOKED_TOPIC, json.dumps({"viewerIds": sorted(viewer_ids)}))


def revoked_viewers(message: str) -> list[str]:
    """The admission records a REVOKED_TOPIC notice names."""
    return [str(viewer_id) for viewer_id in json.loads(message)["viewerIds"]]
