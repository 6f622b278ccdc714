"""Who is in a chat: a viewer (by the admission record their viewer token names), a signed-in account, or staff.

A viewer's person id is their account's when they were admitted signed in (a ban follows the account to every
device), else their browser's; their name is the one their gate gave them, or "Guest" and a short tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import watching
from golive.access.decide import Subject
from golive.access.models import Viewer
from golive.identity.accounts.sessions import LiveAccount
from golive.identity.staff.service import AuthenticatedAdmin


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    subject: Subject
    staff: bool = False
    viewer_id: str | None = None  # the admission record, whose revoked grants close their sockets

    @property
    def signed_in(self) -> bool:
        return self.subject.account_id is not None or self.staff


async def viewer_person(session: AsyncSession, viewer: Viewer) -> Person:
    account = await watching.viewer_account(session, viewer)
    subject = watching.subject_of(viewer, account)
    if account is not None:
        name = account.name.strip() or (viewer.name or "").strip() or "Viewer"
        return Person(f"a:{account.account_id}", name[:80], subject, viewer_id=viewer.viewer_id)
    name = (viewer.name or "").strip() or f"Guest {viewer.viewer_id[-4:].lower()}"
    return Person(f"g:{viewer.client_viewer_id}", name[:80], subject, viewer_id=viewer.viewer_id)


def account_person(account: LiveAccount) -> Person:
    """A signed-in account without a viewer token: its own grants (a purchase, a complimentary address) count."""
    subject = Subject(account_id=account.account_id, email=account.verified_email, max_rating=account.max_rating)
    return Person(f"a:{account.account_id}", (account.name.strip() or "Viewer")[:80], subject)


def staff_person(caller: AuthenticatedAdmin) -> Person:
    admin = caller.admin
    return Person(f"s:{admin.admin_id}", (admin.name or admin.email)[:80], Subject(), staff=True)
