"""The email log as CSV: every matching message (pagination ignored), newest first."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from golive.context import AppContext
from golive.email import repository
from golive.email.repository import EmailFilter
from golive.email.schemas import CSV_COLUMNS, csv_values
from golive.viewers.service import csv_cell


def emails_csv(ctx: AppContext, filters: EmailFilter) -> AsyncIterator[str]:
    async def rows() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        async with ctx.db.sessionmaker() as session:
            async for batch in repository.iter_emails(session, filters):
                for view in batch:
                    writer.writerow([csv_cell(value) for value in csv_values(view)])
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue()

    return rows()
