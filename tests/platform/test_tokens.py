"""Signed tokens (viewer access, admin sessions): readable only unaltered, for their own purpose, while young."""

from __future__ import annotations

import time

import pytest

from golive.platform.tokens import CLOCK_SKEW_SECONDS, TokenSigner

SECRET = "a-test-secret-" + "x" * 40
PAYLOAD = {"vid": "01JVIEWER", "eid": "01JEVENT", "note": "caf\u00e9"}


def test_a_token_reads_back_its_payload() -> None:
    tokens = TokenSigner(SECRET)
    token = tokens.dumps("viewer", PAYLOAD)
    assert tokens.loads("viewer", token, 60) == PAYLOAD
    assert all(part for part in token.split(".")) and token.isascii() and " " not in token


def test_a_token_is_refused_for_another_purpose_or_under_another_secret() -> None:
    token = TokenSigner(SECRET).dumps("viewer", PAYLOAD)
    assert TokenSigner(SECRET).loads("session", token, 60) is None
    assert TokenSigner("another-secret-" + "y" * 40).loads("viewer", token, 60) is None


@pytest.mark.parametrize("part", [0, 1, 2])
def test_a_token_changed_anywhere_is_refused(part: int) -> None:
    tokens = TokenSigner(SECRET)
    pieces = tokens.dumps("viewer", PAYLOAD).split(".")
    pieces[part] = pieces[part][:-1] + ("A" if pieces[part][-1] != "A" else "B")
    assert tokens.loads("viewer", ".".join(pieces), 60) is None


@pytest.mark.parametrize(
    "token", ["", ".", "..", "not-a-token", "a.b.c", "a.1.\u2728", "\u00e9.\u00e9.\u00e9", "x" * 10_000]
)
def test_garbage_is_refused_without_an_error(token: str) -> None:
    assert TokenSigner(SECRET).loads("viewer", token, 60) is None


def test_a_token_expires_and_one_from_the_future_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = TokenSigner(SECRET)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - 120)
    old = tokens.dumps("viewer", PAYLOAD)
    monkeypatch.setattr(time, "time", lambda: now + CLOCK_SKEW_SECONDS + 5)
    from_the_future = tokens.dumps("viewer", PAYLOAD)
    monkeypatch.setattr(time, "time", lambda: now)

    assert tokens.loads("viewer", old, 60) is None
    assert tokens.loads("viewer", old, 180) == PAYLOAD
    assert tokens.loads("viewer", from_the_future, 60) is None
