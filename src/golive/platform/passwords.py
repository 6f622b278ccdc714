"""Password hashing (argon2id): the one place for it."""

from __future__ import annotations

from functools import cache
from typing import Literal

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

PasswordHashProfile = Literal["default", "fast"]
PASSWORD_HASH_PROFILES: dict[PasswordHashProfile, Parameters] = {
    # argon2-cffi's own default: RFC 9106's second recommendation (argon2id, 3 passes over 64 MiB, 4 lanes)
    "default": profiles.get_default_parameters(),
    # the cheapest parameters argon2 accepts (8 KiB, 1 pass): for test suites, which hash thousands of passwords
    "fast": profiles.CHEAPEST,
}
_profile: PasswordHashProfile = "default"


def use_password_hash_profile(profile: PasswordHashProfile) -> None:
    """New hashes (and the dummy one) use this profile from now on; AppContext.from_settings calls it.

    Stored hashes carry their own parameters, so a hash made under either profile verifies under both.
    """
    global _profile
    _profile = profile


@cache
def _hashing(profile: PasswordHashProfile) -> tuple[PasswordHasher, str]:
    """The hasher of a profile, and the hash verified against when the account does not exist (so an unknown
    email costs as long as a wrong password)."""
    hasher = PasswordHasher.from_parameters(PASSWORD_HASH_PROFILES[profile])
    return hasher, hasher.hash("golive-dummy-password")


def hash_password(password: str) -> str:
    hasher, _ = _hashing(_profile)
    return hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-time-ish: always runs one argon2 verification, even without a stored hash."""
    hasher, dummy_hash = _hashing(_profile)
    try:
        return hasher.verify(password_hash or dummy_hash, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
