"""The session every `Database.sessionmaker()` opens: an AsyncSession that sends notices once it commits.

`notify_after_commit(session, topic, message)` queues a notice (golive.platform.notices) in the unit of
work; it goes out after the commit, before `commit()` (or the session's close, for a commit made through
`session.begin()`) returns, so the request that caused it answers only once every cache here has heard.
A rollback, or a session closed without committing, drops it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from golive.platform.notices import Notices

_QUEUED = "golive.notices.queued"
_COMMITTED = "golive.notices.committed"


class UnitOfWorkSession(Session):
    """The sync session under a UnitOfWork (its events move queued notices on commit, drop them otherwise)."""


@event.listens_for(UnitOfWorkSession, "after_commit")
def _committed(session: Session) -> None:
    queued = session.info.pop(_QUEUED, None)
    if queued:
        session.info.setdefault(_COMMITTED, []).extend(queued)


@event.listens_for(UnitOfWorkSession, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed (moved above) or not at all
        session.info.pop(_QUEUED, None)


class UnitOfWork(AsyncSession):
    sync_session_class = UnitOfWorkSession

    def __init__(self, *args: Any, notices: Notices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notices = notices

    async def commit(self) -> None:
        await super().commit()
        await self._send_committed()

    async def close(self) -> None:
        await super().close()
        await self._send_committed()

    async def _send_committed(self) -> None:
        committed: list[tuple[str, str]] = self.info.pop(_COMMITTED, [])
        if self.notices is not None:
            for topic, message in committed:
                await self.notices.publish(topic, message)


def notify_after_commit(session: AsyncSession, topic: str, message: str) -> None:
    """Queues a notice that goes out once this unit of work commits (never if it rolls back)."""
    if not isinstance(session, UnitOfWork):
        raise TypeError("notices need a session from Database.sessionmaker()")
    session.info.setdefault(_QUEUED, []).append((topic, message))
