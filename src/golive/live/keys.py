"""Stream keys: derived from a random per-input nonce with the app secret, so the database never holds one.

The key is shown to admins as often as they like (re-derived), rotation replaces the nonce, and the
publish-time lookup goes through the key's SHA-256 digest (a unique column). Someone who reads the
database learns neither the key nor a way to make one; changing GOLIVE_SECRET_KEY changes every key.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from golive.platform.tokens import TokenSigner

KEY_PREFIX = "glk_"
_KEY_SHAPE = re.compile(r"^glk_[0-9a-f]{40}$")


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def derive_stream_key(tokens: TokenSigner, live_input_id: str, nonce: str) -> str:
    """160 bits of keyed hash: unguessable, and the same every time for the same nonce."""
    return KEY_PREFIX + tokens.mac("live.stream-key", f"{live_input_id}:{nonce}")[:40]


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_key(key: str) -> bool:
    """Cheap shape check before any database lookup (a publisher may send anything as its stream name)."""
    return bool(_KEY_SHAPE.match(key))


def publish_name_key(publish_name: str) -> str:
    """The key inside an RTMP publish name: OBS and others may append `?query` parameters."""
    return publish_name.split("?", 1)[0].strip()
