"""The playback answer: signed links for a viewer (short, renewed by the player) or an admin (long).

A viewer's signature lasts `GOLIVE_PLAYBACK_SIGNATURE_SECONDS` (60 s): the player asks the playback endpoint
again after `renewAfterSeconds` (a third of that), and the endpoint decides again, so a refund or a changed gate
stops a playing stream within the lifetime while nginx keeps checking segments with the key and the clock alone.
Admins' previews keep `GOLIVE_PLAYBACK_URL_MINUTES` links.
"""

from __future__ import annotations

from datetime import UTC, datetime

from golive.media.hls import grant_playback
from golive.media.schemas import PlaybackOut
from golive.platform.settings import Settings
from golive.platform.tokens import UrlSigner


def signature_lifetime(settings: Settings, *, viewer: bool) -> int:
    """Seconds a playback signature is valid: short for viewers, the long console lifetime for admins."""
    return settings.playback_signature_seconds if viewer else settings.playback_url_minutes * 60


def renew_after_seconds(lifetime: int) -> int:
    """When the player asks again: at a third of the lifetime, leaving two thirds for retries on a bad network."""
    return max(1, lifetime // 3)


def signed_playback(
    settings: Settings,
    signer: UrlSigner,
    prefix: str,
    *,
    viewer: bool,
    master: str,
    poster: str | None = None,
    thumbnails: str | None = None,
    is_live: bool,
    duration: float | None = None,
) -> PlaybackOut:
    """One signature over the folder `prefix`, carried by the master, the poster and the thumbnails track."""
    lifetime = signature_lifetime(settings, viewer=viewer)
    grant = grant_playback(signer, prefix, lifetime)
    return PlaybackOut(
        playback_url=grant.url(master),
        poster_url=grant.url(poster) if poster else None,
        thumbnails_url=grant.url(thumbnails) if thumbnails else None,
        is_live=is_live,
        duration=duration,
        expires_at=datetime.fromtimestamp(grant.expires, UTC),
        renew_after_seconds=renew_after_seconds(lifetime),
    )
