"""What a message may say: the length, links, emote-only, blocked terms (masked or held), and the rate."""

from __future__ import annotations

import pytest

from golive.engagement.chat.models import BlockedTermAction
from golive.engagement.chat.rules import MessageRefused, RoomRules, TokenBucket, check_text

OPEN = RoomRules()


def refusal(text: str, rules: RoomRules = OPEN) -> str:
    with pytest.raises(MessageRefused) as refused:
        check_text(text, rules, moderator=False)
    return refused.value.code


def test_text_is_trimmed_and_bounded() -> None:
    assert check_text("  hello \n  there ", OPEN, moderator=False).text == "hello there"
    assert refusal("   ") == "message_empty"
    assert check_text("x" * 500, OPEN, moderator=False).text == "x" * 500
    assert refusal("x" * 501) == "message_too_long"
    with pytest.raises(MessageRefused):
        check_text("x" * 501, OPEN, moderator=True)  # moderators too


@pytest.mark.parametrize("text", ["see https://spam.example/x", "www.spam.net", "go to spam.com now"])
def test_links_are_refused_unless_allowed(text: str) -> None:
    assert refusal(text) == "links_not_allowed"
    assert check_text(text, RoomRules(links_allowed=True), moderator=False).text == text
    assert check_text(text, OPEN, moderator=True).text == text


def test_plain_words_with_dots_are_not_links() -> None:
    assert check_text("It starts at 5.30, ok?", OPEN, moderator=False).text


def test_emote_only() -> None:
    rules = RoomRules(emote_only=True)
    assert check_text("🎉 👍🏽 ❤️", rules, moderator=False).text == "🎉 👍🏽 ❤️"
    assert check_text("👨‍👩‍👧", rules, moderator=False).text
    assert refusal("great 🎉", rules) == "emote_only"


def test_blocked_terms_are_masked_or_held() -> None:
    masking = RoomRules(blocked_terms=("darn",))
    assert check_text("Darn it, darnation", masking, moderator=False).text == "**** it, darnation"
    holding = RoomRules(blocked_terms=("darn",), blocked_term_action=BlockedTermAction.HOLD)
    checked = check_text("darn it", holding, moderator=False)
    assert (checked.text, checked.held) == ("darn it", True)
    assert not check_text("fine", holding, moderator=False).held


def test_mentions_are_found_once_each() -> None:
    assert check_text("@ada and @bob, hi @ada (mail me at x@y.org)", RoomRules(links_allowed=True), False).mentions == [
        "ada",
        "bob",
    ]


def test_the_bucket_takes_three_at_once_then_refills_at_one_and_a_half_per_second() -> None:
    bucket = TokenBucket(stamp=100.0)
    assert [bucket.take(100.0) for _ in range(3)] == [0, 0, 0]
    assert bucket.take(100.0) == pytest.approx(1 / 1.5)
    assert bucket.take(100.7) == 0
    assert bucket.take(100.7) > 0
