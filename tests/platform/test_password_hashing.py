"""The argon2 profile comes from settings: production's parameters unless `fast` is chosen, never in production."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from golive.platform.context import AppContext
from golive.platform.passwords import hash_password, use_password_hash_profile, verify_password
from golive.platform.settings import Settings


@pytest.fixture(autouse=True)
def _restore_the_suites_profile() -> Iterator[None]:
    yield
    use_password_hash_profile(Settings().password_hash_profile)


def test_production_parameters_are_the_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOLIVE_PASSWORD_HASH_PROFILE")
    settings = Settings(data_dir=tmp_path, secret_key="s" * 40)
    assert settings.password_hash_profile == "default"
    AppContext.from_settings(settings)
    # RFC 9106's second recommendation, argon2-cffi's default: argon2id, 64 MiB, 3 passes, 4 lanes
    assert hash_password("a-long-password").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_fast_profile_hashes_cheaply_and_both_kinds_of_hash_verify(tmp_path: Path) -> None:
    use_password_hash_profile("default")
    strong = hash_password("a-long-password")
    AppContext.from_settings(Settings(data_dir=tmp_path, secret_key="s" * 40, password_hash_profile="fast"))
    cheap = hash_password("a-long-password")
    assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert verify_password(strong, "a-long-password") and verify_password(cheap, "a-long-password")
    assert not verify_password(cheap, "a-wrong-password")
    assert not verify_password(None, "a-long-password")


def test_fast_profile_is_refused_in_production(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="GOLIVE_PASSWORD_HASH_PROFILE=fast"):
        Settings(data_dir=tmp_path, environment="production", password_hash_profile="fast")
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, password_hash_profile="cheap")
