"""On-demand media: resumable uploads in flight, and the assets (HLS packages) made from them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, TimestampMixin, new_id, str_enum


class AssetStatus(enum.StrEnum):
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class Upload(TimestampMixin, Base):
    """A tus upload: the bytes live in `settings.upload_dir / upload_id`; the file size is the offset."""

    __tablename__ = "uploads"

    upload_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"), index=True)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("admins.admin_id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    filetype: Mapped[str | None] = mapped_column(String(255))
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    # Set once the last byte arrived and the file was accepted; the file then belongs to the asset.
    asset_id: Mapped[str | None] = mapped_column(String(26))
    # The PATCH writing the file now, on whichever instance (media.uploads._Lease); NULL when none is.
    lock_token: Mapped[str | None] = mapped_column(String(26))
    locked_until: Mapped[datetime | None]


class MediaAsset(TimestampMixin, Base):
    """One source file of an event and its HLS package, stored under the key folder `<asset_id>/`."""

    __tablename__ = "media_assets"
    __table_args__ = (
        Index("ix_media_assets_event_id_created_at", "event_id", "created_at"),
        Index("ix_media_assets_status_heartbeat_at", "status", "heartbeat_at"),
    )

    asset_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id", ondelete="CASCADE"))
    status: Mapped[AssetStatus] = mapped_column(str_enum(AssetStatus), default=AssetStatus.UPLOADED)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    source_filename: Mapped[str] = mapped_column(String(255))
    source_size: Mapped[int] = mapped_column(BigInteger)
    # Relative to settings.source_dir; removed with the asset's media when it is purged.
    source_path: Mapped[str] = mapped_column(String(512))
    source_probe: Mapped[dict[str, Any]] = mapped_column(default=dict)
    duration: Mapped[float | None] = mapped_column(Float)
    renditions: Mapped[list[Any]] = mapped_column(default=list)
    master_playlist: Mapped[str | None] = mapped_column(String(255))
    poster: Mapped[str | None] = mapped_column(String(255))
    thumbnails: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    # Only this part of the source is transcoded (seconds; end None = to the end): a live replay's trim.
    clip_start: Mapped[float | None] = mapped_column(Float)
    clip_end: Mapped[float | None] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    # Set when the cleanup removed the files; the row stays as a record of what existed.
    purged_at: Mapped[datetime | None]
