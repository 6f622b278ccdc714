"""Room for a new upload: a cap on one admin's unfinished uploads, and the disk space every unfinished upload
has declared but not yet sent, against what the upload folder's disk has free.

Without them one editor could declare 200 uploads of 10 GiB in a second and fill the disk with whatever
arrives. Creations take one lock (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write lock
the new row's INSERT already holds), so concurrent creations see each other's rows and one statement of
truth decides, never a count read before someone else's insert.
"""

from __future__ import annotations

import asyncio
import shutil

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.media.models import Upload
from golive.platform.db import utcnow
from golive.platform.errors import Conflict, InsufficientStorage
from golive.platform.settings import Settings

# pg_advisory_xact_lock key for upload creation ("golive" in ASCII); released at commit or rollback
CREATION_LOCK_KEY = 0x676F6C697665


async def reserve_room(session: AsyncSession, settings: Settings, upload: Upload) -> None:
    """Call with the new upload flushed, in its transaction: raises (409 / 507) when there is no room."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(CREATION_LOCK_KEY)))
    unfinished = (
        await session.execute(
            select(Upload.upload_id, Upload.length, Upload.created_by).where(
                Upload.asset_id.is_(None), Upload.expires_at > utcnow()
            )
        )
    ).all()
    if upload.created_by is not None:
        open_by_admin = sum(1 for row in unfinished if row.created_by == upload.created_by)
        if open_by_admin > settings.upload_max_open_per_admin:
            raise Conflict(
                "You have too many unfinished uploads; finish or cancel one first",
                code="too_many_open_uploads",
                details={"maxOpenUploads": settings.upload_max_open_per_admin},
            )
    needed, free = await asyncio.to_thread(
        _bytes_to_come_and_free, settings, [(row.upload_id, row.length) for row in unfinished]
    )
    available = max(0, free - settings.upload_disk_reserve_bytes)
    if needed > available:
        raise InsufficientStorage(
            "The server has no room for this file now",
            details={"neededBytes": needed, "availableBytes": available},
        )


def _bytes_to_come_and_free(settings: Settings, declared: list[tuple[str, int]]) -> tuple[int, int]:
    """What the unfinished uploads have declared and not yet written, and the folder's free space."""
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    to_come = 0
    for upload_id, length in declared:
        try:
            written = (settings.upload_dir / upload_id).stat().st_size
        except OSError:
            written = 0
        to_come += max(0, length - written)
    return to_come, shutil.disk_usage(settings.upload_dir).free
