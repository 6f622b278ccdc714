"""A unit of work's notices go out once it commits, before the commit returns, and never when it rolls back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from golive.platform.context import AppContext
from golive.platform.unit_of_work import notify_after_commit

TOPIC = "test.changed"


@pytest.fixture
def heard(app_ctx: AppContext) -> list[str]:
    messages: list[str] = []
    app_ctx.db.notices.listen(TOPIC, messages.append)
    return messages


async def test_a_notice_goes_out_when_the_unit_of_work_commits(app_ctx: AppContext, heard: list[str]) -> None:
    async with app_ctx.db.sessionmaker() as session:
        await session.execute(text("SELECT 1"))
        notify_after_commit(session, TOPIC, "one")
        assert heard == []  # not before the commit
        await session.commit()
        assert heard == ["one"]  # ... and by the time commit() returns
        await session.commit()
    assert heard == ["one"]  # once


async def test_a_commit_through_begin_sends_it_too(app_ctx: AppContext, heard: list[str]) -> None:
    async with app_ctx.db.sessionmaker() as session, session.begin():
        notify_after_commit(session, TOPIC, "begun")
    assert heard == ["begun"]


async def test_a_rolled_back_or_abandoned_unit_of_work_sends_nothing(app_ctx: AppContext, heard: list[str]) -> None:
    with pytest.raises(RuntimeError):
        async with app_ctx.db.session() as session:
            notify_after_commit(session, TOPIC, "failed")
            raise RuntimeError("the request failed")
    async with app_ctx.db.sessionmaker() as session:
        await session.execute(text("SELECT 1"))
        notify_after_commit(session, TOPIC, "abandoned")
    async with app_ctx.db.sessionmaker() as session:
        await session.execute(text("SELECT 1"))
        notify_after_commit(session, TOPIC, "rolled back")
        await session.rollback()
        await session.commit()  # a later transaction of the same session does not send the dropped notice
    assert heard == []
