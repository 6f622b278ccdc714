"""The media wire format: the event's asset as admins see it, and the signed playback a viewer gets."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from golive.media.models import AssetStatus
from golive.platform.schemas import CamelModel


class RenditionOut(CamelModel):
    name: str
    width: int
    height: int
    bandwidth: int


class MediaAssetOut(CamelModel):
    """Poll while `status` is uploaded or processing; `progress` is a percentage (0-100)."""

    asset_id: str
    status: AssetStatus
    progress: float
    renditions: list[RenditionOut]
    duration: float | None
    poster_url: str | None
    thumbnails_url: str | None
    error: str | None
    created_at: datetime
    updated_at: datetime


class PlaybackOut(CamelModel):
    """Signed URLs; every URI inside the playlists carries the same signature.

    A viewer's signature is short (`GOLIVE_PLAYBACK_SIGNATURE_SECONDS`): ask again after `renewAfterSeconds` and
    put the new `exp`, `sig` and `pfx` on every later media request. An admin's lasts `GOLIVE_PLAYBACK_URL_MINUTES`.
    """

    playback_url: str
    poster_url: str | None
    thumbnails_url: str | None
    is_live: bool
    duration: float | None
    expires_at: datetime = Field(description="When the signature of these URLs (and of every URI inside) runs out")
    renew_after_seconds: int = Field(
        description="Ask for playback again this many seconds after this answer, before the signature runs out"
    )


class PosterFrame(CamelModel):
    """Which frame of the video becomes its poster."""

    at: float = Field(ge=0, allow_inf_nan=False, description="Seconds into the video (a replay: into the replay)")
