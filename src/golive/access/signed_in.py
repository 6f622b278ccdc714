"""A signed-in viewer's admission: the rights of the browser and of the account count together.

A guest who signs in keeps everything the browser held, and the account gains it (`entitlements.
copy_to_account`), so the account's second device needs neither a second payment nor a restore code. The
admission record is linked to the sign-in session, so playback and checkout (`watching.viewer_subject`)
count the account's rights only while that sign-in is live.
"""

from __future__ import annotations

from dataclasses import dataclass

from golive.access import entitlements, repository
from golive.access.decide import Subject
from golive.access.gates import Gate
from golive.access.grant_models import GrantFacts, ScopeKind
from golive.access.repository import ViewerState
from golive.identity.accounts.sessions import AuthenticatedAccount
from golive.platform.context import AppContext
from golive.platform.ratings import ContentRating


@dataclass(frozen=True)
class SignedInViewer:
    """The account a viewer's request proved (its session cookie, or a bearer token)."""

    account_id: str
    session_id: str
    email: str
    name: str
    email_verified: bool
    max_rating: ContentRating | None = None  # the watching profile's age limit

    def subject(self, viewer: ViewerState) -> Subject:
        verified = self.email if self.email_verified else None
        return Subject(viewer.client_viewer_id, self.account_id, verified, self.max_rating)

    @classmethod
    def of(cls, signed: AuthenticatedAccount) -> SignedInViewer:
        account = signed.account
        return cls(
            account.account_id,
            signed.session_id,
            account.email,
            account.name,
            account.email_verified_at is not None,
            signed.max_rating,
        )


async def account_and_device_grants(
    ctx: AppContext, gate: Gate, viewer: ViewerState, account: SignedInViewer
) -> tuple[GrantFacts, ...]:
    """Links the admission record to the sign-in, gives the account what the browser holds on the event, and
    reads what both hold there, in one unit of work."""
    async with ctx.db.session() as session:
        await repository.link_account_session(session, viewer.viewer_id, account.session_id)
        await entitlements.copy_to_account(session, viewer.client_viewer_id, account.account_id, event_id=gate.event_id)
        await session.flush()
        held = await entitlements.grants_of(session, account.subject(viewer).refs(), ScopeKind.EVENT, gate.event_id)
    return tuple(held)
