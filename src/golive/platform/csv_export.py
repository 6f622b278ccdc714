"""CSV exports: cells a spreadsheet will not evaluate, streamed one chunk per database batch."""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import AsyncIterator, Iterable, Sequence


# What a list endpoint answers with: JSON (a page) or CSV (every row, streamed). No docstring: it would become
# the schema's description in the OpenAPI document.
class ExportFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"


# a cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """ISO 8601 times, lower-case booleans, and a quote before anything a spreadsheet would evaluate."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif hasattr(value, "isoformat"):
        text = value.isoformat().replace("+00:00", "Z")
    elif hasattr(value, "value"):
        text = str(value.value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


async def stream_csv(header: Sequence[str], batches: AsyncIterator[Iterable[Sequence[object]]]) -> AsyncIterator[str]:
    """The header, then one chunk per batch of rows, so an export of any size holds one batch in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    async for batch in batches:
        for row in batch:
            writer.writerow([csv_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
