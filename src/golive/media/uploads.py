"""Resumable uploads, tus 1.0.0 (core, creation, termination, expiration), minus the HTTP plumbing.

The bytes of an upload are appended to one file per upload; the size of that file *is* the offset,
so a connection dropped mid-PATCH resumes from exactly what reached the disk, and a restarted server
resumes from the same file. The row in `uploads` keeps the length, the metadata and the expiry.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import re
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive.events import service as events_service
from golive.events.models import Event, EventStatus, EventType
from golive.media import upload_capacity
from golive.media.ffmpeg import MediaRejected, validate_upload_filename, without_bidi_controls
from golive.media.models import Upload
from golive.platform.db import new_id, utcnow
from golive.platform.errors import (
    BadRequest,
    Conflict,
    InsufficientStorage,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
)
from golive.platform.settings import Settings

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
WRITE_BUFFER_BYTES = 1024 * 1024

# Cancelled and archived are final: a video uploaded there could never be watched.
UPLOADABLE_STATUSES = frozenset({EventStatus.DRAFT, EventStatus.SCHEDULED, EventStatus.LIVE, EventStatus.ENDED})

_DIGITS = re.compile(r"^[0-9]{1,19}$")
_METADATA_KEY = re.compile(r"^[!-+\--~]+$")  # printable ASCII without space and comma

# How long a PATCH holds an upload without renewing (it renews while the body arrives).
UPLOAD_LEASE = timedelta(seconds=30)
# Requests of this process for one upload queue here before asking for the lease, as a retried last chunk
# should wait for the one in flight; the entry disappears when nobody holds the lock.
_upload_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()


def parse_length(value: str | None, header: str) -> int:
    """A tus length or offset header: a non-negative decimal integer."""
    if value is None or not _DIGITS.match(value.strip()):
        raise BadRequest(
            f"{header} must be a non-negative integer", code="invalid_tus_header", details={"header": header}
        )
    return int(value.strip())


def parse_metadata(value: str | None) -> dict[str, str]:
    """`Upload-Metadata`: comma-separated `key base64(value)` pairs; values are UTF-8 text here."""
    metadata: dict[str, str] = {}
    for pair in (value or "").split(","):
        if not pair.strip():
            continue
        key, _, encoded = pair.strip().partition(" ")
        if not _METADATA_KEY.match(key) or key in metadata:
            raise BadRequest("Upload-Metadata has an invalid or repeated key", code="invalid_tus_metadata")
        try:
            metadata[key] = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise BadRequest(
                f"Upload-Metadata value of {key!r} is not base64-encoded UTF-8", code="invalid_tus_metadata"
            ) from None
    return metadata


def encode_metadata(upload: Upload) -> str:
    pairs = {"filename": upload.filename, "filetype": upload.filetype}
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in pairs.items() if value)


def http_date(moment: datetime) -> str:
    """`Upload-Expires` is an RFC 9110 date (`Sun, 06 Nov 1994 08:49:37 GMT`)."""
    return format_datetime(moment, usegmt=True)


def upload_file(settings: Settings, upload_id: str) -> Path:
    return settings.upload_dir / upload_id


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _create_empty(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=False)


def _truncate(path: Path, size: int) -> None:
    with path.open("r+b") as handle:
        handle.truncate(size)


async def create_upload(
    session: AsyncSession,
    settings: Settings,
    *,
    event_id: str,
    length: int,
    metadata: dict[str, str],
    created_by: str | None,
) -> Upload:
    """Creation extension: checks what can be checked before any byte is sent (size, name, event)."""
    event = await events_service.get_event(session, event_id)
    if event.event_type != EventType.VOD:
        raise Conflict("Source files can only be uploaded to on-demand events", code="not_a_vod_event")
    if event.status not in UPLOADABLE_STATUSES:
        raise event_closed(event.event_id, event.status.value)
    if length > settings.upload_max_bytes:
        raise PayloadTooLarge(
            "The file is larger than this server accepts",
            code="upload_too_large",
            details={"maxBytes": settings.upload_max_bytes},
        )
    filename = metadata.get("filename")
    if filename is None:
        raise ValidationFailed("The upload needs a file name", fields={"filename": "required in Upload-Metadata"})
    filename = without_bidi_controls(filename)
    try:
        validate_upload_filename(filename)
    except MediaRejected as rejected:
        raise ValidationFailed(rejected.reason, fields={"filename": rejected.reason}, code=rejected.code) from None
    if length == 0:
        raise ValidationFailed("The uploaded file is empty.", fields={"file": "empty"}, code="empty_file")
    upload = Upload(
        event_id=event.event_id,
        created_by=created_by,
        filename=filename,
        filetype=(metadata.get("filetype") or None),
        length=length,
        offset=0,
        expires_at=utcnow() + timedelta(hours=settings.upload_expiry_hours),
    )
    if upload.filetype is not None and len(upload.filetype) > 255:
        raise ValidationFailed("The file type is too long", fields={"filetype": "at most 255 characters"})
    session.add(upload)
    await session.flush()
    try:
        await upload_capacity.reserve_room(session, settings, upload)
    except (Conflict, InsufficientStorage):
        await session.rollback()
        raise
    await asyncio.to_thread(_create_empty, upload_file(settings, upload.upload_id))
    await session.commit()
    return upload


def event_closed(event_id: str, status: str) -> Conflict:
    return Conflict(
        f"This event is {status}: it takes no new video",
        code="event_not_uploadable",
        details={"eventId": event_id, "status": status},
    )


async def require_event_open(session: AsyncSession, settings: Settings, upload: Upload) -> None:
    """Before each chunk: an event cancelled, archived or deleted since the upload began refuses it (409),
    and the bytes are discarded, since they could never become a video of that event."""
    row = (
        await session.execute(select(Event.status, Event.deleted_at).where(Event.event_id == upload.event_id))
    ).first()
    if row is not None and row.deleted_at is None and row.status in UPLOADABLE_STATUSES:
        return
    await discard(session, settings, upload)
    raise event_closed(upload.event_id, "deleted" if row is None or row.deleted_at is not None else row.status.value)


async def get_upload(session: AsyncSession, upload_id: str) -> Upload:
    """An upload that may still be read or resumed; an expired one is gone (tus expiration)."""
    upload = await session.get(Upload, upload_id)
    if upload is None or upload.expires_at <= utcnow():
        raise NotFound("No such upload, or it has expired", code="upload_not_found", details={"uploadId": upload_id})
    return upload


async def current_offset(settings: Settings, upload: Upload) -> int:
    """Bytes on disk; a finished upload (its file handed to an asset) is complete by definition."""
    if upload.asset_id is not None:
        return upload.length
    return await asyncio.to_thread(_file_size, upload_file(settings, upload.upload_id))


async def _append_body(
    path: Path, chunks: AsyncIterator[bytes], limit: int, before_write: Callable[[], Awaitable[None]]
) -> int:
    """Appends the streamed body; returns the bytes written, or raises PayloadTooLarge past `limit`."""
    handle: BinaryIO = await asyncio.to_thread(path.open, "ab")
    written = 0
    buffer = bytearray()
    try:
        async for chunk in chunks:
            if written + len(buffer) + len(chunk) > limit:
                raise PayloadTooLarge("The body goes past Upload-Length", code="upload_too_large")
            buffer += chunk
            if len(buffer) >= WRITE_BUFFER_BYTES:
                await before_write()
                await asyncio.to_thread(handle.write, bytes(buffer))
                written += len(buffer)
                buffer.clear()
        if buffer:
            await before_write()
            await asyncio.to_thread(handle.write, bytes(buffer))
            written += len(buffer)
    finally:
        await asyncio.to_thread(handle.close)
    return written


async def append(
    session: AsyncSession,
    settings: Settings,
    upload: Upload,
    *,
    offset: int,
    chunks: AsyncIterator[bytes],
    content_length: int | None,
) -> int:
    """Core PATCH: append at `offset` (which must be the bytes on disk); returns the new offset.

    One writer per upload across every instance: the request first takes the upload's lease in the
    database; a second PATCH meanwhile, on any instance, is refused with 409 and resumes from HEAD.
    A body that ends early (dropped connection) keeps what arrived. A body that would go past
    Upload-Length is refused whole: the file is cut back to where this request started.
    """
    async with _upload_locks.setdefault(upload.upload_id, asyncio.Lock()):
        lease = _Lease(session, upload.upload_id, new_id())
        if not await lease.take():
            await _reload(session, upload)  # 404 when it is gone
            raise Conflict(
                "Another request is writing to this upload; ask for its offset and resume from there",
                code="upload_busy",
                details={"uploadId": upload.upload_id},
            )
        try:
            return await _append_under_lease(session, settings, upload, lease, offset, chunks, content_length)
        except BaseException:
            await lease.give_back_after_failure()
            raise


async def _append_under_lease(
    session: AsyncSession,
    settings: Settings,
    upload: Upload,
    lease: _Lease,
    offset: int,
    chunks: AsyncIterator[bytes],
    content_length: int | None,
) -> int:
    # Read again under the lease: the request that held it may have completed (or discarded) the upload.
    await _reload(session, upload)
    path = upload_file(settings, upload.upload_id)
    on_disk = await current_offset(settings, upload)
    if offset != on_disk:
        raise Conflict(
            "Upload-Offset does not match the bytes received so far",
            code="offset_mismatch",
            details={"uploadOffset": on_disk},
        )
    remaining = upload.length - on_disk
    if content_length is not None and content_length > remaining:
        raise PayloadTooLarge("The body goes past Upload-Length", code="upload_too_large")
    if upload.asset_id is not None:
        await lease.give_back(offset=None, expires_at=None)
        return on_disk
    try:
        await _append_body(path, chunks, remaining, lease.keep)
    except PayloadTooLarge:
        await asyncio.to_thread(_truncate, path, on_disk)
        raise
    new_offset = await asyncio.to_thread(_file_size, path)
    # An upload that is moving stays alive: the expiry slides with each chunk.
    await lease.give_back(offset=new_offset, expires_at=utcnow() + timedelta(hours=settings.upload_expiry_hours))
    await session.refresh(upload)
    return new_offset


class _Lease:
    """The right to write one upload's file, held in its row (`lock_token`, `locked_until`) so that it holds
    across instances. Renewed while the body streams in; a crashed holder's lease runs out on its own."""

    def __init__(self, session: AsyncSession, upload_id: str, token: str) -> None:
        self.session = session
        self.upload_id = upload_id
        self.token = token
        self.renewed = time.monotonic()

    async def take(self) -> bool:
        now = utcnow()
        free = or_(Upload.lock_token.is_(None), Upload.locked_until <= now)
        return await self._update(free, lock_token=self.token, locked_until=now + UPLOAD_LEASE)

    async def keep(self) -> None:
        """Before each write: renew a lease a third of the way through, and stop if it was lost (the upload
        was deleted, or this request stalled past the lease and another took over)."""
        if time.monotonic() - self.renewed < UPLOAD_LEASE.total_seconds() / 3:
            return
        if not await self._update(Upload.lock_token == self.token, locked_until=utcnow() + UPLOAD_LEASE):
            raise NotFound(
                "This upload was removed or taken over while the chunk arrived",
                code="upload_not_found",
                details={"uploadId": self.upload_id},
            )
        self.renewed = time.monotonic()

    async def give_back(self, *, offset: int | None, expires_at: datetime | None) -> None:
        progress = {"offset": offset, "expires_at": expires_at} if offset is not None else {}
        if not await self._update(Upload.lock_token == self.token, lock_token=None, locked_until=None, **progress):
            raise NotFound(
                "This upload was removed while the chunk arrived",
                code="upload_not_found",
                details={"uploadId": self.upload_id},
            )

    async def give_back_after_failure(self) -> None:
        """Best effort: when the database itself failed, the lease runs out within UPLOAD_LEASE instead."""
        with contextlib.suppress(Exception):
            await self.session.rollback()
            await self._update(Upload.lock_token == self.token, lock_token=None, locked_until=None)

    async def _update(self, condition: ColumnElement[bool], **values: object) -> bool:
        result = await self.session.execute(
            update(Upload)
            .where(Upload.upload_id == self.upload_id, condition)
            .values(**values, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        await self.session.commit()
        return getattr(result, "rowcount", 0) == 1


async def _reload(session: AsyncSession, upload: Upload) -> None:
    current = await session.scalar(
        select(Upload).where(Upload.upload_id == upload.upload_id).execution_options(populate_existing=True)
    )
    if current is None:
        raise NotFound(
            "No such upload, or it has expired", code="upload_not_found", details={"uploadId": upload.upload_id}
        )


async def claim_completed(session: AsyncSession, upload: Upload, asset_id: str) -> bool:
    """The one request that hands a complete file to a new asset: a conditional UPDATE, so two final
    PATCHes (in this process or on two instances) cannot both start a transcode. Committed at once."""
    result = await session.execute(
        update(Upload)
        .where(Upload.upload_id == upload.upload_id, Upload.asset_id.is_(None))
        .values(asset_id=asset_id, offset=upload.length, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    claimed = getattr(result, "rowcount", 0) == 1
    await session.commit()
    await session.refresh(upload)
    return claimed


async def release_claim(session: AsyncSession, upload: Upload, asset_id: str) -> None:
    """Undo a claim whose acceptance failed unexpectedly, so the client can retry the last PATCH."""
    await session.rollback()
    await session.execute(
        update(Upload)
        .where(Upload.upload_id == upload.upload_id, Upload.asset_id == asset_id)
        .values(asset_id=None)
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def discard(session: AsyncSession, settings: Settings, upload: Upload) -> None:
    """Removes the file and the row: termination, rejection and expiry all end here. A PATCH of this process
    finishes first; one still writing on another instance finds its lease gone and answers 404."""
    async with _upload_locks.setdefault(upload.upload_id, asyncio.Lock()):
        await asyncio.to_thread(upload_file(settings, upload.upload_id).unlink, missing_ok=True)
        await session.execute(delete(Upload).where(Upload.upload_id == upload.upload_id))
        await session.commit()


async def terminate(session: AsyncSession, settings: Settings, upload_id: str) -> None:
    """Termination extension. A finished upload has become an asset: delete that through the media API."""
    upload = await get_upload(session, upload_id)
    if upload.asset_id is not None:
        raise Conflict(
            "This upload is complete; delete the event's media instead",
            code="upload_complete",
            details={"assetId": upload.asset_id},
        )
    await discard(session, settings, upload)


async def expired_uploads(session: AsyncSession, now: datetime) -> list[Upload]:
    rows = await session.scalars(select(Upload).where(Upload.expires_at <= now).order_by(Upload.expires_at))
    return list(rows)
