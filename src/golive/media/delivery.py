"""Serving signed media from storage, the same URLs and rules as nginx (deploy/nginx.conf + golive_media.js).

The signature is checked with the key and the clock only, never the database. Playlists and the
thumbnails track are rewritten so every URI inside carries the request's own signature; everything
else is sent as stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import parse_qs

from golive.media.hls import asset_prefix, rewrite_playlist, signature_query, verify_media_request
from golive.media.storage import InvalidStorageKey, MediaStorage, check_key, content_type_for
from golive.platform.errors import Forbidden, NotFound
from golive.platform.tokens import UrlSigner

# The same policy as nginx's $golive_media_cache map: signed text is per viewer, media files are immutable.
PER_VIEWER = "private, no-cache"
CACHE_CONTROL = {
    ".m3u8": PER_VIEWER,
    ".vtt": PER_VIEWER,
    ".m4s": "public, max-age=86400",
    ".ts": "public, max-age=86400",
    ".mp4": "public, max-age=86400",
    ".m4a": "public, max-age=86400",
    ".jpg": "public, max-age=3600",
    ".jpeg": "public, max-age=3600",
    ".png": "public, max-age=3600",
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class MediaResponse:
    """Exactly one of `body` (rewritten text), `file` (local storage) or `stream` (object storage) is set."""

    content_type: str
    cache_control: str
    body: bytes | None = None
    file: Path | None = None
    stream: BinaryIO | None = None


def iter_stream(stream: BinaryIO, chunk_size: int = 256 * 1024) -> Iterator[bytes]:
    """An object-storage body in chunks (Starlette runs a sync iterator in its thread pool), closed at the end."""
    try:
        while chunk := stream.read(chunk_size):
            yield chunk
    finally:
        stream.close()


def sign_thumbnail_track(text: str, query: str) -> str:
    """A cue's payload (the line after its timing line) is an image URI relative to the track: sign it.

    The same line rule as `thumbnails` in deploy/golive_media.js, so both serve identical bytes.
    """
    lines = text.split("\n")
    for index in range(1, len(lines)):
        uri = lines[index].strip()
        if "-->" not in lines[index - 1] or not uri or _SCHEME.match(uri) or uri.startswith("/"):
            continue
        bare, hash_mark, fragment = uri.partition("#")
        separator = "&" if "?" in bare else "?"
        lines[index] = f"{bare}{separator}{query}{hash_mark}{fragment}"
    return "\n".join(lines)


def read_media(storage: MediaStorage, signer: UrlSigner, asset_id: str, path: str, raw_query: str) -> MediaResponse:
    """Blocking (storage is synchronous): call it in a thread. Forbidden before anything is read."""
    try:
        prefix = asset_prefix(asset_id)
    except ValueError:
        raise Forbidden("This media link is not valid", code="invalid_media_signature") from None
    if not verify_media_request(f"{prefix}{path}", raw_query, signer):
        raise Forbidden("This media link is missing its signature, expired or altered", code="invalid_media_signature")
    key = f"{asset_id}/{path}"
    try:
        check_key(key)
    except InvalidStorageKey:
        raise NotFound("No such media file", code="media_file_not_found") from None
    suffix = PurePosixPath(key).suffix.lower()
    content_type = content_type_for(key)
    cache_control = CACHE_CONTROL.get(suffix, "no-store")
    try:
        if suffix in {".m3u8", ".vtt"}:
            text = storage.read_bytes(key).decode()
            # Verified above: each parameter is present once; pfx may be the asset folder or one below it.
            query = parse_qs(raw_query)
            signed, expires, signature = query["pfx"][0], int(query["exp"][0]), query["sig"][0]
            if suffix == ".m3u8":
                body = rewrite_playlist(text, signed, signer, expires, signature)
            else:
                body = sign_thumbnail_track(text, signature_query(signed, expires, signature))
            return MediaResponse(content_type, cache_control, body=body.encode())
        local = storage.local_path_for(key)
        if local is not None:
            return MediaResponse(content_type, cache_control, file=local)
        return MediaResponse(content_type, cache_control, stream=storage.open(key))
    except (OSError, UnicodeDecodeError):  # missing, a folder, a name the file system refuses: all "no such file"
        raise NotFound("No such media file", code="media_file_not_found") from None
