"""The one answer to "may this subject do this here, and if not, why": `decide`.

Playback, the playback-session and telemetry endpoints, the live-stats stream and the admission answer
all ask here and nowhere else. `evaluate` is the rule itself, pure (facts in, decision out), so it is
tested as a table; `decide` loads the facts.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import entitlements
from golive.access.grant_models import GrantFacts, GrantSource, ScopeKind, SubjectKind
from golive.events.models import AccessType, Event, EventStatus
from golive.platform.db import utcnow
from golive.platform.ratings import ContentRating, within


class Action(enum.StrEnum):
    WATCH = "watch"  # playback, playback sessions and telemetry, live stats
    CHAT = "chat"
    VOTE = "vote"  # react, vote in a poll, upvote a question: taking part without writing to the room
    MODERATE = "moderate"
    DOWNLOAD = "download"


class Reason(enum.StrEnum):
    ALLOWED = "allowed"
    GATE_REQUIRED = "gate_required"
    PAYMENT_REQUIRED = "payment_required"
    NOT_STARTED = "not_started"
    ENDED = "ended"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_AVAILABLE = "not_available"
    RATING_RESTRICTED = "rating_restricted"  # rated above what the watching profile may see
    CHAT_CLOSED = "chat_closed"  # the event's chat is off
    ACCOUNT_REQUIRED = "account_required"  # the event's chat is for signed-in accounts
    BANNED = "banned"
    TIMED_OUT = "timed_out"
    NOT_MODERATOR = "not_moderator"


# What the viewer app says for each refusal: why, and what to do.
REASON_MESSAGES = {
    Reason.ALLOWED: "You may watch this event",
    Reason.GATE_REQUIRED: "Pass the event's gate to watch",
    Reason.PAYMENT_REQUIRED: "Buy a ticket to watch this event",
    Reason.NOT_STARTED: "This event has not started yet; come back at its start time",
    Reason.ENDED: "This event has ended",
    Reason.EXPIRED: "Your access to this event has expired",
    Reason.REVOKED: (
        "Your access to this event was withdrawn (a refund, or the organizer ended it); "
        "buy a ticket or pass the event's gate to watch again"
    ),
    Reason.NOT_AVAILABLE: "This event cannot be watched now",
    Reason.RATING_RESTRICTED: "This event's age rating is above what this profile may watch; switch profile to watch",
    Reason.CHAT_CLOSED: "The chat of this event is off",
    Reason.ACCOUNT_REQUIRED: "This chat is for signed-in viewers; sign in to your account to chat",
    Reason.BANNED: "A moderator removed you from this chat",
    Reason.TIMED_OUT: "A moderator paused your messages for a while; you can read the chat meanwhile",
    Reason.NOT_MODERATOR: "Only the event's moderators can do this",
}

# The statuses in which an entitled subject may watch: live, and the replay (or video) after the end.
WATCHABLE_STATUSES = frozenset({EventStatus.LIVE, EventStatus.ENDED})
# A chat takes messages while the event waits to start (its waiting room) and while it is live.
CHAT_STATUSES = frozenset({EventStatus.SCHEDULED, EventStatus.LIVE})
# The sources that stand in for paying (a subscription's plan-wide grant will join them).
PAID_SOURCES = frozenset({GrantSource.PAYMENT, GrantSource.COMPLIMENTARY, GrantSource.SUBSCRIPTION})


@dataclass(frozen=True)
class Subject:
    """Who asks: the identities a request has proved (a guest browser; the account it is signed in with, and
    that account's verified address, which holds an admin's complimentary grants)."""

    guest_id: str | None = None
    account_id: str | None = None
    email: str | None = None
    # the watching profile's age limit (a kids profile's, or the one a profile chose)
    max_rating: ContentRating | None = None

    def refs(self) -> list[tuple[SubjectKind, str]]:
        refs: list[tuple[SubjectKind, str]] = []
        if self.guest_id is not None:
            refs.append((SubjectKind.GUEST, self.guest_id))
        if self.account_id is not None:
            refs.append((SubjectKind.ACCOUNT, self.account_id))
        if self.email is not None:
            refs.append((SubjectKind.EMAIL, self.email))
        return refs


@dataclass(frozen=True)
class Target:
    """What is asked about, with the facts about it the rule needs."""

    kind: ScopeKind
    id: str
    status: EventStatus
    gate: AccessType
    requires_payment: bool
    rating: ContentRating | None = None

    @classmethod
    def event(cls, event: Event) -> Target:
        return cls(
            ScopeKind.EVENT, event.event_id, event.status, event.access_type, event.is_paid_event, event.content_rating
        )


@dataclass(frozen=True)
class Limits:
    """Room for what plans will bound: concurrent streams, the highest rendition, countries."""

    max_streams: int | None = None
    max_height: int | None = None
    countries: frozenset[str] | None = None


class ChatPolicy(enum.StrEnum):
    """Who may post in an event's chat (reading follows the right to watch)."""

    EVERYONE = "everyone"  # everyone who may watch
    ACCOUNTS = "accounts"  # signed-in accounts among them
    NOBODY = "nobody"  # moderators only


@dataclass(frozen=True)
class ChatFacts:
    """What the chat rule needs besides the grants: the room's policy and the person's standing in it."""

    policy: ChatPolicy = ChatPolicy.EVERYONE
    staff: bool = False  # an admin of the platform: a moderator of every chat
    signed_in: bool = False
    banned: bool = False
    muted_until: datetime | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason
    valid_until: datetime | None = None
    limits: Limits = field(default_factory=Limits)
    # the grants the answer stands on (empty when refused)
    grant_ids: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        return REASON_MESSAGES[self.reason]

    @property
    def entitled(self) -> bool:
        """The subject holds every right the target needs (it may still be too early to watch)."""
        return self.allowed or self.reason in (Reason.NOT_STARTED, Reason.ENDED, Reason.NOT_AVAILABLE)


def is_active(grant: GrantFacts, now: datetime) -> bool:
    return (
        grant.revoked_at is None and grant.valid_from <= now and (grant.valid_until is None or now < grant.valid_until)
    )


def evaluate(
    target: Target,
    grants: Iterable[GrantFacts],
    action: Action,
    now: datetime,
    max_rating: ContentRating | None = None,
    chat: ChatFacts | None = None,
) -> Decision:
    """The rule: the age rating against the watching profile's limit first (a child is not asked to pay for
    what it may not see), then the rights (today's order: an unentitled viewer hears about the gate or the
    payment, not the schedule), then whether the event can be watched now. Chatting also needs the room's
    policy and no ban or timeout; moderators (staff, and the people named for the event) moderate, and chat
    whatever the room's rules."""
    held = [grant for grant in grants if grant.scope_kind == target.kind and grant.scope_id == target.id]
    active = [grant for grant in held if is_active(grant, now)]
    if action in (Action.CHAT, Action.VOTE, Action.MODERATE):
        named = _first(active, lambda g: g.source == GrantSource.MODERATOR)
        if (chat is not None and chat.staff) or named is not None:
            return Decision(True, Reason.ALLOWED, grant_ids=(named.grant_id,) if named else ())
        if action == Action.MODERATE:
            return _refuse(Reason.NOT_MODERATOR)
    if not within(target.rating, max_rating):
        return _refuse(Reason.RATING_RESTRICTED)

    gate = _first(active, lambda g: g.source == GrantSource.COMPLIMENTARY) or _first(
        active, lambda g: g.source == GrantSource.GATE and g.source_id == target.gate.value
    )
    if gate is None:
        return _refuse(_why_no_gate(held, target, now))
    used = [gate]
    if target.requires_payment:
        paid = _first(active, lambda g: g.source in PAID_SOURCES)
        if paid is None:
            return _refuse(_why_unpaid(held, now))
        used.append(paid)

    if action in (Action.CHAT, Action.VOTE):
        refused = _chat_refusal(target, chat or ChatFacts(), now, writing=action == Action.CHAT)
        if refused is not None:
            return _refuse(refused)
    elif target.status == EventStatus.SCHEDULED:
        return _refuse(Reason.NOT_STARTED)
    elif target.status not in WATCHABLE_STATUSES:
        return _refuse(Reason.NOT_AVAILABLE)

    until = [g.valid_until for g in used if g.valid_until is not None]
    return Decision(True, Reason.ALLOWED, min(until) if until else None, grant_ids=tuple(g.grant_id for g in used))


def _chat_refusal(target: Target, chat: ChatFacts, now: datetime, writing: bool) -> Reason | None:
    """Writing follows the room's policy and timeouts; taking part otherwise (a vote, a reaction) only bans."""
    if target.status == EventStatus.ENDED:
        return Reason.ENDED
    if target.status not in CHAT_STATUSES:
        return Reason.NOT_AVAILABLE
    if chat.banned:
        return Reason.BANNED
    if not writing:
        return None
    if chat.policy == ChatPolicy.NOBODY:
        return Reason.CHAT_CLOSED
    if chat.policy == ChatPolicy.ACCOUNTS and not chat.signed_in:
        return Reason.ACCOUNT_REQUIRED
    if chat.muted_until is not None and now < chat.muted_until:
        return Reason.TIMED_OUT
    return None


def _first(grants: Sequence[GrantFacts], matches: Callable[[GrantFacts], bool]) -> GrantFacts | None:
    return next((grant for grant in grants if matches(grant)), None)


def _any_expired(grants: Iterable[GrantFacts], now: datetime) -> bool:
    return any(g.revoked_at is None and g.valid_until is not None and g.valid_until <= now for g in grants)


def _why_no_gate(held: Sequence[GrantFacts], target: Target, now: datetime) -> Reason:
    """A cleared gate or a complimentary right that ran out says "expired"; a complimentary right an admin
    withdrew says "revoked" (the person had access: "pass the gate" would not say what happened)."""
    cleared_before = [
        g
        for g in held
        if (g.source == GrantSource.GATE and g.source_id == target.gate.value) or g.source == GrantSource.COMPLIMENTARY
    ]
    if _any_expired(cleared_before, now):
        return Reason.EXPIRED
    if any(g.revoked_at is not None and g.source == GrantSource.COMPLIMENTARY for g in cleared_before):
        return Reason.REVOKED
    return Reason.GATE_REQUIRED


def _why_unpaid(held: Sequence[GrantFacts], now: datetime) -> Reason:
    """A refunded payment says "revoked"; a complimentary or paid right that ran out says "expired"."""
    paid_before = [g for g in held if g.source in PAID_SOURCES]
    if any(g.revoked_at is not None and g.source == GrantSource.PAYMENT for g in paid_before):
        return Reason.REVOKED
    if _any_expired(paid_before, now):
        return Reason.EXPIRED
    if any(g.revoked_at is not None for g in paid_before):
        return Reason.REVOKED
    return Reason.PAYMENT_REQUIRED


def _refuse(reason: Reason) -> Decision:
    return Decision(False, reason)


@dataclass(frozen=True)
class Standing:
    """Where a subject stands on a target: the gate half of the rule alone, and the whole rule (the
    admission answer's accessVerified and requiresPayment, and who may open a checkout)."""

    gate: Decision
    watch: Decision

    @property
    def cleared_gate(self) -> bool:
        return self.gate.entitled

    @property
    def owes_payment(self) -> bool:
        return self.gate.entitled and not self.watch.entitled


def standing_from(
    target: Target, grants: Sequence[GrantFacts], now: datetime | None = None, max_rating: ContentRating | None = None
) -> Standing:
    """A free target's gate half is its whole rule: one evaluation answers both (every admission asks)."""
    at = now or utcnow()
    watch = evaluate(target, grants, Action.WATCH, at, max_rating)
    if not target.requires_payment:
        return Standing(watch, watch)
    return Standing(evaluate(replace(target, requires_payment=False), grants, Action.WATCH, at, max_rating), watch)


async def standing(session: AsyncSession, subject: Subject, target: Target, now: datetime | None = None) -> Standing:
    grants = await entitlements.grants_of(session, subject.refs(), target.kind, target.id)
    return standing_from(target, grants, now, subject.max_rating)


async def decide(
    session: AsyncSession,
    subject: Subject,
    target: Target,
    action: Action,
    now: datetime | None = None,
    chat: ChatFacts | None = None,
) -> Decision:
    """The decision for a subject on a target, from the grants stored now."""
    grants = await entitlements.grants_of(session, subject.refs(), target.kind, target.id)
    return evaluate(target, grants, action, now or utcnow(), subject.max_rating, chat)


async def decide_each(
    session: AsyncSession,
    subject: Subject,
    target: Target,
    actions: Sequence[Action],
    now: datetime | None = None,
    chat: ChatFacts | None = None,
) -> dict[Action, Decision]:
    """Several actions' decisions from one read of the grants (a chat message asks "moderator?" and "may post?")."""
    grants = await entitlements.grants_of(session, subject.refs(), target.kind, target.id)
    at = now or utcnow()
    return {action: evaluate(target, grants, action, at, subject.max_rating, chat) for action in actions}
