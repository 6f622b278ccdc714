"""Viewer authentication for other domains' routes: `Authorization: Bearer <viewer token>`.

Usage (e.g. the playback route)::

    async def playback(event_id: EventId, viewer: ViewerAuth, session: Session) -> ...:
        viewer.require_event(event_id)
        await watching.require_watch(session, viewer.viewer_id, event)  # access.decide, or 403/409
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from golive.access import admission
from golive.platform.deps import Ctx
from golive.platform.errors import Forbidden, Unauthorized

viewer_bearer = HTTPBearer(
    auto_error=False, scheme_name="ViewerToken", description="A viewer token from POST /api/registrations"
)


@dataclass(frozen=True)
class AuthenticatedViewer:
    """Who the token speaks for. The token proves the gate was cleared when it was issued;
    `access.decide` (through access.watching) says whether the browser may still watch now."""

    viewer_id: str
    event_id: str

    def require_event(self, event_id: str) -> None:
        """A token is good for one event only."""
        if event_id != self.event_id:
            raise Forbidden("This viewer token is for another event", code="viewer_token_other_event")


async def current_viewer(
    ctx: Ctx, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(viewer_bearer)]
) -> AuthenticatedViewer:
    if credentials is None:
        raise Unauthorized("Send the viewer token from POST /api/registrations", code="viewer_token_missing")
    identity = admission.read_viewer_token(ctx, credentials.credentials)
    if identity is None:
        raise Unauthorized("The viewer token is invalid or has expired; register again", code="viewer_token_invalid")
    return AuthenticatedViewer(viewer_id=identity.viewer_id, event_id=identity.event_id)


ViewerAuth = Annotated[AuthenticatedViewer, Depends(current_viewer)]
