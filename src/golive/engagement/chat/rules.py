"""What a message may say and how often: pure checks, no I/O (the service applies them, the tests table them)."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field

from golive.engagement.chat.models import BlockedTermAction

MAX_MESSAGE_LENGTH = 500
MAX_MENTIONS = 10
# Owncast's default: 3 messages per 2 seconds, refilled continuously
BUCKET_CAPACITY = 3
BUCKET_REFILL_PER_SECOND = 1.5

LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|gg|tv|co|me|ly)\b/?")
MENTION = re.compile(r"(?<![\w@])@([\w.-]{1,40})")
# emoji, their modifiers and joiners: what an emote-only message may hold besides spaces
EMOJI_CATEGORIES = frozenset({"So", "Sk", "Mn", "Me", "Cf"})


class MessageRefused(Exception):
    """A message the rules refuse: `code` and words the chat shows its author."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RoomRules:
    links_allowed: bool = False
    emote_only: bool = False
    blocked_terms: tuple[str, ...] = ()
    blocked_term_action: BlockedTermAction = BlockedTermAction.MASK


@dataclass(frozen=True)
class CheckedText:
    text: str
    mentions: list[str]
    held: bool  # a blocked term holds it for review


def check_text(raw: str, rules: RoomRules, moderator: bool) -> CheckedText:
    """The text as it is kept and shown, or MessageRefused. Moderators are held to the length alone."""
    text = " ".join(raw.split())
    if not text:
        raise MessageRefused("message_empty", "Write something first")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise MessageRefused("message_too_long", f"A message holds at most {MAX_MESSAGE_LENGTH} characters")
    mentions = list(dict.fromkeys(MENTION.findall(text)))[:MAX_MENTIONS]
    if moderator:
        return CheckedText(text, mentions, held=False)
    if rules.emote_only and not is_emote_only(text):
        raise MessageRefused("emote_only", "The chat takes only emoji right now")
    if not rules.links_allowed and LINK.search(text):
        raise MessageRefused("links_not_allowed", "Links are not allowed in this chat")
    held = False
    for term in rules.blocked_terms:
        pattern = re.compile(rf"(?i)\b{re.escape(term)}\b")
        if not pattern.search(text):
            continue
        if rules.blocked_term_action == BlockedTermAction.HOLD:
            held = True
        else:
            text = pattern.sub(lambda match: "*" * len(match.group(0)), text)
    return CheckedText(text, mentions, held)


def is_emote_only(text: str) -> bool:
    return all(char.isspace() or unicodedata.category(char) in EMOJI_CATEGORIES for char in text)


def clean_terms(terms: list[str]) -> list[str]:
    """Blocked terms as kept: trimmed, lower-cased, each once, in the order given."""
    return list(dict.fromkeys(term.strip().lower() for term in terms if term.strip()))


@dataclass
class TokenBucket:
    """A person's message budget in one room: `capacity` at once, refilled at `rate` per second."""

    capacity: float = BUCKET_CAPACITY
    rate: float = BUCKET_REFILL_PER_SECOND
    tokens: float = BUCKET_CAPACITY
    stamp: float = field(default_factory=time.monotonic)

    def take(self, now: float | None = None) -> float:
        """0 when a message may go now (and counts it), else the seconds until one may."""
        at = time.monotonic() if now is None else now
        self.tokens = min(self.capacity, self.tokens + (at - self.stamp) * self.rate)
        self.stamp = at
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate
