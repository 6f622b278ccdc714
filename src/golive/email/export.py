"""The email log as CSV: every matching message (pagination ignored), newest first."""

from __future__ import annotations

from collections.abc import AsyncIterator

from golive.email import repository
from golive.email.repository import EmailFilter
from golive.email.schemas import CSV_COLUMNS, csv_values
from golive.platform.context import AppContext
from golive.platform.csv_export import stream_csv


def emails_csv(ctx: AppContext, filters: EmailFilter) -> AsyncIterator[str]:
    async def batches() -> AsyncIterator[list[list[object]]]:
        async with ctx.db.sessionmaker() as session:
            async for batch in repository.iter_emails(session, filters):
                yield [csv_values(view) for view in batch]

    return stream_csv(CSV_COLUMNS, batches())
