"""Password hashing, signed tokens and signed media URLs: the one place for each."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_hasher = PasswordHasher()
# Verified against when the account does not exist, so an unknown email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("golive-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-time-ish: always runs one argon2 verification, even without a stored hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class TokenSigner:
    """Short-lived signed tokens; each purpose has its own salt so tokens never cross over."""

    def __init__(self, secret_key: str) -> None:
        self._secret = secret_key.encode()
        self._serializers: dict[str, URLSafeTimedSerializer] = {}

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        if purpose not in self._serializers:
            self._serializers[purpose] = URLSafeTimedSerializer(self._secret, salt=f"golive.{purpose}")
        return self._serializers[purpose]

    def dumps(self, purpose: str, payload: dict[str, Any]) -> str:
        return self._serializer(purpose).dumps(payload)

    def mac(self, purpose: str, value: str) -> str:
        """A keyed digest of value, for tokens that only need to be recomputed, never decoded."""
        return hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def loads(self, purpose: str, token: str, max_age_seconds: int) -> dict[str, Any] | None:
        """The payload, or None when the token is forged, of another purpose, or expired."""
        try:
            payload = self._serializer(purpose).loads(token, max_age=max_age_seconds)
        except (BadSignature, SignatureExpired):
            return None
        return payload if isinstance(payload, dict) else None


class UrlSigner:
    """HMAC-SHA256 over (expiry, path prefix): one signature covers a playlist and every file below it.

    Checking needs only the secret and the clock, never the database, so nginx (njs) or a CDN edge
    can check the very same signatures.
    """

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"golive.media:" + secret_key.encode()).digest()

    @property
    def media_key(self) -> bytes:
        """The derived key an edge server needs; never the app secret itself."""
        return self._key

    def signature(self, prefix: str, expires: int) -> str:
        mac = hmac.new(self._key, f"{expires}:{prefix}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    def sign(self, prefix: str, ttl_seconds: int, now: float | None = None) -> tuple[int, str]:
        expires = int((now if now is not None else time.time()) + ttl_seconds)
        return expires, self.signature(prefix, expires)

    def verify(self, path: str, prefix: str, expires: int, signature: str, now: float | None = None) -> bool:
        if not path.startswith(prefix) or ".." in path:
            return False
        if expires < (now if now is not None else time.time()):
            return False
        return hmac.compare_digest(self.signature(prefix, expires), signature)
