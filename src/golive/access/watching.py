"""`decide` for a viewer token's bearer, and the HTTP refusal every caller gives for a refused decision.

Playback, playback sessions, telemetry and the live-stats stream all come here: the token names the
admission record, whose browser (client_viewer_id), and the account it was signed in with, hold the grants.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import repository
from golive.access.decide import Action, Decision, Reason, Subject, Target, decide
from golive.access.models import Viewer
from golive.events.models import Event
from golive.identity.accounts import sessions as account_sessions
from golive.platform.errors import AppError, Conflict, Forbidden

# Refusals about when the event can be watched (409 event_not_playable); every other one is about rights
# (403 not_admitted): the status codes and codes the API has always given.
SCHEDULE_REASONS = frozenset({Reason.NOT_STARTED, Reason.ENDED, Reason.NOT_AVAILABLE})


async def viewer_decision(
    session: AsyncSession, viewer_id: str, event: Event, action: Action = Action.WATCH
) -> Decision:
    """The decision for the browser behind an admission record (a record of another event holds nothing here)."""
    viewer = await repository.get_viewer(session, viewer_id)
    if viewer is None or viewer.event_id != event.event_id:
        return Decision(False, Reason.GATE_REQUIRED)
    return await decide(session, await viewer_subject(session, viewer), Target.event(event), action)


async def viewer_account(session: AsyncSession, viewer: Viewer) -> account_sessions.LiveAccount | None:
    """The account the browser was admitted signed in with, while that sign-in is live."""
    if viewer.account_session_id is None:
        return None
    return await account_sessions.live_account(session, viewer.account_session_id)


async def viewer_subject(session: AsyncSession, viewer: Viewer) -> Subject:
    """The browser, and the account it was admitted signed in with while that sign-in is live."""
    return subject_of(viewer, await viewer_account(session, viewer))


def subject_of(viewer: Viewer, account: account_sessions.LiveAccount | None) -> Subject:
    if account is None:
        return Subject(guest_id=viewer.client_viewer_id)
    return Subject(viewer.client_viewer_id, account.account_id, account.verified_email, account.max_rating)


def refusal(decision: Decision, event: Event) -> AppError:
    """The error for a refused decision: its reason in `details.reason` and its plain words as the message."""
    if decision.reason in SCHEDULE_REASONS:
        details = {"status": event.status.value, "reason": decision.reason.value}
        return Conflict(decision.message, code="event_not_playable", details=details)
    return Forbidden(decision.message, code="not_admitted", details={"reason": decision.reason.value})


async def require_watch(session: AsyncSession, viewer_id: str, event: Event) -> Decision:
    """The decision, or the refusal raised."""
    decision = await viewer_decision(session, viewer_id, event)
    if not decision.allowed:
        raise refusal(decision, event)
    return decision
