"""Media assets of an event: accept a finished upload, read the current asset, sign playback, delete, purge."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.access import watching
from golive.audit.actor import Actor
from golive.automation import service as automation
from golive.automation.models import TriggerType
from golive.events import service as events_service
from golive.events.models import Event
from golive.media import uploads
from golive.media.ffmpeg import MediaRejected, probe
from golive.media.hls import PlaybackGrant, asset_prefix, grant_playback
from golive.media.models import AssetStatus, MediaAsset, Upload
from golive.media.playback import signed_playback
from golive.media.schemas import MediaAssetOut, PlaybackOut, RenditionOut
from golive.media.storage import LocalStorage, MediaStorage
from golive.platform.context import AppContext
from golive.platform.db import new_id, utcnow
from golive.platform.errors import Conflict, NotFound, ValidationFailed
from golive.platform.settings import Settings

log = logging.getLogger("golive.media")

SOURCE_FILE = "source"
# Deleted assets wait here until the purge: outside every signable URL folder (`/media/<assetId>/`,
# made of [A-Za-z0-9_-] only), so no link handed out before the deletion reaches them.
WITHDRAWN_FOLDER = ".withdrawn"


def source_file(settings: Settings, asset: MediaAsset) -> Path:
    return settings.source_dir / asset.source_path


def _move_into_place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


async def accept_upload(session: AsyncSession, settings: Settings, upload: Upload, actor: Actor) -> MediaAsset:
    """The last byte arrived: probe before any job runs; a bad file is refused and nothing of it kept."""
    asset = await _accept_once(session, settings, upload, actor)
    if asset is None:
        raise Conflict("This upload is complete already", code="upload_complete", details={"assetId": upload.asset_id})
    return asset


async def _accept_once(session: AsyncSession, settings: Settings, upload: Upload, actor: Actor) -> MediaAsset | None:
    """None when another request (or instance) already claimed this upload: it makes the one asset."""
    asset_id = new_id()
    if not await uploads.claim_completed(session, upload, asset_id):
        return None
    path = uploads.upload_file(settings, upload.upload_id)
    try:
        try:
            info = await asyncio.to_thread(probe, path, original_name=upload.filename)
        except MediaRejected as rejected:
            log.warning("upload %s for event %s refused: %s", upload.upload_id, upload.event_id, rejected.reason)
            await uploads.discard(session, settings, upload)
            raise ValidationFailed(rejected.reason, fields={"file": rejected.reason}, code=rejected.code) from None
        asset = MediaAsset(
            asset_id=asset_id,
            event_id=upload.event_id,
            status=AssetStatus.UPLOADED,
            progress=0.0,
            source_filename=upload.filename,
            source_size=upload.length,
            source_probe=asdict(info),
            duration=info.duration,
            renditions=[],
            attempts=0,
        )
        asset.source_path = f"{asset.asset_id}/{SOURCE_FILE}"
        await asyncio.to_thread(_move_into_place, path, source_file(settings, asset))
        session.add(asset)
        audit_media(session, actor, "media.upload", asset, after={"filename": upload.filename, "bytes": upload.length})
        await session.commit()
        log.info(
            "upload received for event %s: %r, %d bytes, %.1f s of video (asset %s)",
            upload.event_id,
            upload.filename,
            upload.length,
            info.duration or 0.0,
            asset_id,
        )
    except ValidationFailed:
        raise
    except BaseException:
        await uploads.release_claim(session, upload, asset_id)
        raise
    return asset


@dataclass(frozen=True)
class ReceivedChunk:
    offset: int
    expires_at: datetime
    # Set when this chunk completed a good file: the asset to transcode.
    new_asset_id: str | None


async def receive_chunk(
    session: AsyncSession,
    settings: Settings,
    upload_id: str,
    *,
    offset: int,
    content_length: int | None,
    chunks: AsyncIterator[bytes],
    actor: Actor,
) -> ReceivedChunk:
    """A tus PATCH: append, and when that completed the file, accept (or refuse) it.

    Several PATCHes may complete the same file at once (a client retrying a slow last chunk): one of
    them claims the upload and makes the asset; the others answer 204 with the full offset.
    """
    upload = await uploads.get_upload(session, upload_id)
    await uploads.require_event_open(session, settings, upload)
    new_offset = await uploads.append(
        session, settings, upload, offset=offset, chunks=chunks, content_length=content_length
    )
    new_asset_id = None
    if new_offset == upload.length and upload.asset_id is None:
        asset = await _accept_once(session, settings, upload, actor)
        new_asset_id = asset.asset_id if asset is not None else None
    return ReceivedChunk(offset=new_offset, expires_at=upload.expires_at, new_asset_id=new_asset_id)


def audit_media(
    session: AsyncSession, actor: Actor, action: str, asset: MediaAsset, *, after: dict[str, object] | None = None
) -> None:
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action=action,
        entity_type="media_asset",
        entity_id=asset.asset_id,
        after={"eventId": asset.event_id, **(after or {})},
        ip_address=actor.ip,
    )


def _live_assets(event_id: str) -> Select[MediaAsset]:
    return (
        select(MediaAsset)
        .where(MediaAsset.event_id == event_id, MediaAsset.deleted_at.is_(None))
        .order_by(MediaAsset.created_at.desc(), MediaAsset.asset_id.desc())
    )


async def current_asset(session: AsyncSession, event_id: str) -> MediaAsset:
    """The newest asset of the event (possibly still processing, or failed), or 404."""
    await events_service.get_event(session, event_id)
    asset = await session.scalar(_live_assets(event_id).limit(1))
    if asset is None:
        raise NotFound("This event has no media yet", code="media_not_found", details={"eventId": event_id})
    return asset


async def playable_asset(session: AsyncSession, event_id: str) -> MediaAsset:
    """The newest ready asset: while a replacement is processing, the previous one keeps playing."""
    await events_service.get_event(session, event_id)
    asset = await session.scalar(_live_assets(event_id).where(MediaAsset.status == AssetStatus.READY).limit(1))
    if asset is None:
        raise Conflict("This event's video is not ready yet", code="media_not_ready", details={"eventId": event_id})
    return asset


async def events_with_ready_media(session: AsyncSession, event_ids: Sequence[str]) -> set[str]:
    """Which of these events have a ready video (what a page of event cards may offer to play)."""
    found = await session.scalars(
        select(MediaAsset.event_id)
        .where(
            MediaAsset.event_id.in_(event_ids),
            MediaAsset.deleted_at.is_(None),
            MediaAsset.status == AssetStatus.READY,
        )
        .distinct()
    )
    return {event_id for event_id in found if event_id is not None}


async def public_poster_url(ctx: AppContext, session: AsyncSession, event_id: str) -> str:
    """A freshly signed URL of a published event's poster: the picture a shared link shows, for anyone."""
    await events_service.get_published_event(session, event_id)
    asset = await session.scalar(_with_poster(event_id))
    if asset is None or asset.poster is None:
        raise NotFound("This event has no poster yet", code="poster_not_found", details={"eventId": event_id})
    return _grant(ctx, asset).url(asset.poster)


async def has_poster(session: AsyncSession, event_id: str) -> bool:
    """Whether the event's ready video has a poster (for link previews)."""
    return await session.scalar(_with_poster(event_id)) is not None


def _with_poster(event_id: str) -> Select[MediaAsset]:
    return _live_assets(event_id).where(MediaAsset.status == AssetStatus.READY, MediaAsset.poster.is_not(None)).limit(1)


async def event_for_viewer(session: AsyncSession, event_id: str, viewer_id: str) -> Event:
    """A viewer plays only when `access.decide` allows it (gate cleared, paid for a paid event, started)."""
    event = await events_service.get_event(session, event_id)
    await watching.require_watch(session, viewer_id, event)
    return event


async def asset_for_viewer(session: AsyncSession, event_id: str, viewer_id: str) -> MediaAsset:
    """The ready asset an admitted viewer may play (see event_for_viewer)."""
    await event_for_viewer(session, event_id, viewer_id)
    return await playable_asset(session, event_id)


def _grant(ctx: AppContext, asset: MediaAsset) -> PlaybackGrant:
    ttl = ctx.settings.playback_url_minutes * 60
    return grant_playback(ctx.urls, asset_prefix(asset.asset_id), ttl)


def asset_out(ctx: AppContext, asset: MediaAsset) -> MediaAssetOut:
    grant = _grant(ctx, asset) if asset.status == AssetStatus.READY else None
    return MediaAssetOut(
        asset_id=asset.asset_id,
        status=asset.status,
        progress=round(asset.progress, 1),
        renditions=[RenditionOut.model_validate(rendition) for rendition in asset.renditions],
        duration=asset.duration,
        poster_url=grant.url(asset.poster) if grant and asset.poster else None,
        thumbnails_url=grant.url(asset.thumbnails) if grant and asset.thumbnails else None,
        error=asset.error,
        created_at=asset.created_at,
        updated_at=asset.updated_at,
    )


def playback_out(ctx: AppContext, asset: MediaAsset, *, viewer: bool) -> PlaybackOut:
    """A viewer's links are short-lived (the player renews them); an admin's preview keeps long ones."""
    return signed_playback(
        ctx.settings,
        ctx.urls,
        asset_prefix(asset.asset_id),
        viewer=viewer,
        master=asset.master_playlist or "master.m3u8",
        poster=asset.poster,
        thumbnails=asset.thumbnails,
        is_live=False,
        duration=asset.duration,
    )


def withdrawn_prefix(asset_id: str) -> str:
    return f"{WITHDRAWN_FOLDER}/{asset_id}/"


async def delete_media(session: AsyncSession, storage: MediaStorage, event_id: str, actor: Actor) -> None:
    """Soft delete of every asset of the event (a replacement in progress too).

    Playback stops at once, links already handed out included: the files move out of the signed
    folder before the deletion commits, so the app and nginx both answer 404 without a database
    read. They stay in the withdrawn folder until the purge, after the grace period.
    """
    await events_service.get_event(session, event_id)
    assets = list(await session.scalars(_live_assets(event_id)))
    if not assets:
        raise NotFound("This event has no media", code="media_not_found", details={"eventId": event_id})
    now = utcnow()
    for asset in assets:
        asset.deleted_at = now
        audit_media(session, actor, "media.delete", asset, after={"deletedAt": now.isoformat()})
    await session.flush()
    withdrawn: list[str] = []
    try:
        for asset in assets:
            await asyncio.to_thread(storage.move_prefix, f"{asset.asset_id}/", withdrawn_prefix(asset.asset_id))
            withdrawn.append(asset.asset_id)
        await session.commit()
    except BaseException:
        # Nothing was deleted after all: put back what had moved, so what plays keeps playing.
        await session.rollback()
        for asset_id in withdrawn:
            await asyncio.to_thread(storage.move_prefix, withdrawn_prefix(asset_id), f"{asset_id}/")
        raise


async def supersede_older_assets(session: AsyncSession, asset: MediaAsset, now: datetime) -> None:
    """A new asset became ready: the event's older ones are soft-deleted (purged after the grace period)."""
    await session.execute(
        update(MediaAsset)
        .where(
            MediaAsset.event_id == asset.event_id,
            MediaAsset.asset_id != asset.asset_id,
            MediaAsset.created_at <= asset.created_at,
            MediaAsset.deleted_at.is_(None),
        )
        .values(deleted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def _remove_local_leftovers(settings: Settings, storage: MediaStorage, asset: MediaAsset) -> None:
    shutil.rmtree(settings.source_dir / asset.asset_id, ignore_errors=True)
    if isinstance(storage, LocalStorage):
        # What a killed transcode leaves beside the asset folder (see ladder.transcode_vod).
        shutil.rmtree(storage.root / f".{asset.asset_id}.partial", ignore_errors=True)
        (storage.root / f".{asset.asset_id}.ffmpeg.log").unlink(missing_ok=True)


async def purge_deleted_media(
    session: AsyncSession, settings: Settings, storage: MediaStorage, now: datetime | None = None
) -> list[str]:
    """Removes the files of assets deleted (or whose event was deleted) more than the grace period ago."""
    cutoff = (now or utcnow()) - timedelta(hours=settings.delete_grace_hours)
    due = await session.scalars(
        select(MediaAsset)
        .join(Event, Event.event_id == MediaAsset.event_id)
        .where(
            MediaAsset.purged_at.is_(None),
            or_(MediaAsset.deleted_at <= cutoff, Event.deleted_at <= cutoff),
        )
        .order_by(MediaAsset.created_at)
    )
    purged = []
    for asset in list(due):
        files = await asyncio.to_thread(storage.delete_prefix, f"{asset.asset_id}/")
        files += await asyncio.to_thread(storage.delete_prefix, withdrawn_prefix(asset.asset_id))
        await asyncio.to_thread(_remove_local_leftovers, settings, storage, asset)
        asset.purged_at = utcnow()
        asset.deleted_at = asset.deleted_at or asset.purged_at
        automation.record(
            session,
            event_id=asset.event_id,
            trigger=TriggerType.CLEANUP,
            action="media.purge",
            details={"assetId": asset.asset_id, "files": files},
        )
        await session.commit()
        purged.append(asset.asset_id)
    return purged


async def expire_uploads(session: AsyncSession, settings: Settings, now: datetime | None = None) -> list[str]:
    """Tus expiration: unfinished uploads past their expiry lose their bytes; finished ones their row."""
    expired = await uploads.expired_uploads(session, now or utcnow())
    for upload in expired:
        if upload.asset_id is None:
            automation.record(
                session,
                event_id=upload.event_id,
                trigger=TriggerType.CLEANUP,
                action="upload.expire",
                details={"uploadId": upload.upload_id, "receivedBytes": upload.offset, "length": upload.length},
            )
        await uploads.discard(session, settings, upload)
    return [upload.upload_id for upload in expired]
