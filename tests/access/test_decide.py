"""`evaluate`, the access rule, over every source, state and expiry: a table of facts and the answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from golive.access.decide import Action, ChatFacts, ChatPolicy, Reason, Target, evaluate
from golive.access.grant_models import Grant, GrantSource, ScopeKind, SubjectKind
from golive.events.models import AccessType, EventStatus
from golive.platform.ratings import ContentRating, profile_limit

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
EVENT = "01EVENT0000000000000000000"
LATER = NOW + timedelta(days=1)
EARLIER = NOW - timedelta(days=1)


def grant(
    source: GrantSource,
    source_id: str | None = None,
    *,
    until: datetime | None = None,
    starts: datetime = EARLIER - timedelta(days=1),
    revoked: bool = False,
    scope_id: str = EVENT,
) -> Grant:
    return Grant(
        grant_id=f"g-{source.value}-{source_id}",
        subject_kind=SubjectKind.GUEST,
        subject_id="browser-1",
        scope_kind=ScopeKind.EVENT,
        scope_id=scope_id,
        source=source,
        source_id=source_id,
        valid_from=starts,
        valid_until=until,
        revoked_at=EARLIER if revoked else None,
        created_by="test",
    )


def target(status: EventStatus = EventStatus.LIVE, gate: AccessType = AccessType.FORM, paid: bool = False) -> Target:
    return Target(ScopeKind.EVENT, EVENT, status, gate, paid)


GATE_FORM = grant(GrantSource.GATE, "form")
PAID = grant(GrantSource.PAYMENT, "pay_1")
COMP = grant(GrantSource.COMPLIMENTARY, "g-address")

CASES = [
    # (what, target, grants, allowed, reason)
    ("no grant at all", target(), [], False, Reason.GATE_REQUIRED),
    ("cleared the gate of a free live event", target(), [GATE_FORM], True, Reason.ALLOWED),
    ("cleared the gate; the replay after the end", target(EventStatus.ENDED), [GATE_FORM], True, Reason.ALLOWED),
    ("cleared the gate before the start", target(EventStatus.SCHEDULED), [GATE_FORM], False, Reason.NOT_STARTED),
    ("an archived event", target(EventStatus.ARCHIVED), [GATE_FORM], False, Reason.NOT_AVAILABLE),
    ("a cancelled event", target(EventStatus.CANCELLED), [GATE_FORM], False, Reason.NOT_AVAILABLE),
    ("a draft", target(EventStatus.DRAFT), [GATE_FORM], False, Reason.NOT_AVAILABLE),
    ("the gate changed since", target(gate=AccessType.PASSWORD), [GATE_FORM], False, Reason.GATE_REQUIRED),
    (
        "another event's grant",
        target(),
        [grant(GrantSource.GATE, "form", scope_id="other")],
        False,
        Reason.GATE_REQUIRED,
    ),
    ("an expired gate grant", target(), [grant(GrantSource.GATE, "form", until=EARLIER)], False, Reason.EXPIRED),
    (
        "a gate grant not valid yet",
        target(),
        [grant(GrantSource.GATE, "form", starts=LATER)],
        False,
        Reason.GATE_REQUIRED,
    ),
    ("paid event, gate only", target(paid=True), [GATE_FORM], False, Reason.PAYMENT_REQUIRED),
    ("paid event, paid", target(paid=True), [GATE_FORM, PAID], True, Reason.ALLOWED),
    ("paid event, payment without the gate", target(paid=True), [PAID], False, Reason.GATE_REQUIRED),
    (
        "paid event, refunded",
        target(paid=True),
        [GATE_FORM, grant(GrantSource.PAYMENT, "pay_1", revoked=True)],
        False,
        Reason.REVOKED,
    ),
    (
        "paid event, refunded then paid again",
        target(paid=True),
        [GATE_FORM, grant(GrantSource.PAYMENT, "pay_1", revoked=True), grant(GrantSource.PAYMENT, "pay_2")],
        True,
        Reason.ALLOWED,
    ),
    (
        "a free event ignores a refund",
        target(),
        [GATE_FORM, grant(GrantSource.PAYMENT, "pay_1", revoked=True)],
        True,
        Reason.ALLOWED,
    ),
    ("complimentary: any gate, any price", target(gate=AccessType.PASSWORD, paid=True), [COMP], True, Reason.ALLOWED),
    (
        "complimentary until tomorrow",
        target(paid=True),
        [grant(GrantSource.COMPLIMENTARY, "g", until=LATER)],
        True,
        Reason.ALLOWED,
    ),
    (
        "complimentary that ran out, paid event, gate cleared",
        target(paid=True),
        [GATE_FORM, grant(GrantSource.COMPLIMENTARY, "g", until=EARLIER)],
        False,
        Reason.EXPIRED,
    ),
    (
        "complimentary that ran out, free event, gate cleared",
        target(),
        [GATE_FORM, grant(GrantSource.COMPLIMENTARY, "g", until=EARLIER)],
        True,
        Reason.ALLOWED,
    ),
    (
        "complimentary that ran out and no gate",
        target(),
        [grant(GrantSource.COMPLIMENTARY, "g", until=EARLIER)],
        False,
        Reason.EXPIRED,
    ),
    (
        "complimentary revoked and no gate",
        target(gate=AccessType.PASSWORD, paid=True),
        [grant(GrantSource.COMPLIMENTARY, "g", revoked=True)],
        False,
        Reason.REVOKED,
    ),
    (
        "complimentary revoked, paid event",
        target(paid=True),
        [GATE_FORM, grant(GrantSource.COMPLIMENTARY, "g", revoked=True)],
        False,
        Reason.REVOKED,
    ),
    ("complimentary before the start", target(EventStatus.SCHEDULED, paid=True), [COMP], False, Reason.NOT_STARTED),
    (
        "a subscription pays",
        target(paid=True),
        [GATE_FORM, grant(GrantSource.SUBSCRIPTION, "sub_1")],
        True,
        Reason.ALLOWED,
    ),
]


@pytest.mark.parametrize(("what", "facts", "grants", "allowed", "reason"), CASES, ids=[case[0] for case in CASES])
def test_watching(what: str, facts: Target, grants: list[Grant], allowed: bool, reason: Reason) -> None:
    decision = evaluate(facts, grants, Action.WATCH, NOW)
    assert (decision.allowed, decision.reason) == (allowed, reason), what
    assert decision.message  # every answer has words the viewer app can show


def test_the_decision_lasts_as_long_as_the_shortest_grant_it_stands_on() -> None:
    soon, sooner = NOW + timedelta(hours=5), NOW + timedelta(hours=2)
    grants = [grant(GrantSource.GATE, "form", until=soon), grant(GrantSource.PAYMENT, "pay_1", until=sooner)]
    decision = evaluate(target(paid=True), grants, Action.WATCH, NOW)
    assert decision.allowed and decision.valid_until == sooner
    assert evaluate(target(), [GATE_FORM], Action.WATCH, NOW).valid_until is None


def test_a_grant_stops_at_its_end_exactly() -> None:
    grants = [grant(GrantSource.COMPLIMENTARY, "g", until=NOW)]
    assert evaluate(target(paid=True), grants, Action.WATCH, NOW - timedelta(seconds=1)).allowed
    assert not evaluate(target(paid=True), grants, Action.WATCH, NOW).allowed


def test_chat_closes_at_the_end_while_the_replay_stays_open() -> None:
    assert evaluate(target(EventStatus.LIVE), [GATE_FORM], Action.CHAT, NOW).allowed
    ended = evaluate(target(EventStatus.ENDED), [GATE_FORM], Action.CHAT, NOW)
    assert (ended.allowed, ended.reason) == (False, Reason.ENDED)
    assert evaluate(target(EventStatus.ENDED), [GATE_FORM], Action.WATCH, NOW).allowed


def test_entitled_but_too_early_is_told_apart_from_not_entitled() -> None:
    assert evaluate(target(EventStatus.SCHEDULED), [GATE_FORM], Action.WATCH, NOW).entitled
    assert not evaluate(target(EventStatus.SCHEDULED, paid=True), [GATE_FORM], Action.WATCH, NOW).entitled


@pytest.mark.parametrize(
    ("rating", "limit", "allowed"),
    [
        (ContentRating.R, ContentRating.PG, False),  # above the profile's limit: refused, held rights or not
        (ContentRating.PG, ContentRating.PG, True),  # at the limit
        (ContentRating.G, ContentRating.PG_13, True),
        (None, ContentRating.G, True),  # an event nobody rated is not kept from anyone
        (ContentRating.TV_MA, None, True),  # a profile without a limit
    ],
)
def test_a_profiles_age_limit_comes_before_the_rights(
    rating: ContentRating | None, limit: ContentRating | None, allowed: bool
) -> None:
    rated = replace(target(paid=True), rating=rating)
    decision = evaluate(rated, [GATE_FORM, PAID], Action.WATCH, NOW, limit)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason == Reason.RATING_RESTRICTED
        assert evaluate(rated, [], Action.WATCH, NOW, limit).reason == Reason.RATING_RESTRICTED  # not "pay first"


def test_a_kids_profile_without_a_limit_of_its_own_watches_up_to_g() -> None:
    assert profile_limit(True, None) == ContentRating.G
    assert profile_limit(True, ContentRating.PG) == ContentRating.PG
    assert profile_limit(False, None) is None


# --- the chat: posting and moderating --------------------------------------------------------------------------

MODERATOR = grant(GrantSource.MODERATOR)


@pytest.mark.parametrize(
    ("what", "status", "facts", "reason"),
    [
        ("a viewer of a live event", EventStatus.LIVE, ChatFacts(), Reason.ALLOWED),
        ("the waiting room before the start", EventStatus.SCHEDULED, ChatFacts(), Reason.ALLOWED),
        ("chat off", EventStatus.LIVE, ChatFacts(policy=ChatPolicy.NOBODY), Reason.CHAT_CLOSED),
        ("accounts only, a guest", EventStatus.LIVE, ChatFacts(policy=ChatPolicy.ACCOUNTS), Reason.ACCOUNT_REQUIRED),
        ("accounts only, signed in", EventStatus.LIVE, ChatFacts(ChatPolicy.ACCOUNTS, signed_in=True), Reason.ALLOWED),
        ("banned", EventStatus.LIVE, ChatFacts(banned=True), Reason.BANNED),
        ("timed out", EventStatus.LIVE, ChatFacts(muted_until=LATER), Reason.TIMED_OUT),
        ("a timeout that ran out", EventStatus.LIVE, ChatFacts(muted_until=EARLIER), Reason.ALLOWED),
        ("after the end (the replay is read-only)", EventStatus.ENDED, ChatFacts(), Reason.ENDED),
    ],
)
def test_who_may_post(what: str, status: EventStatus, facts: ChatFacts, reason: Reason) -> None:
    decision = evaluate(target(status), [GATE_FORM], Action.CHAT, NOW, chat=facts)
    assert (decision.allowed, decision.reason) == (reason == Reason.ALLOWED, reason), what


def test_posting_needs_the_right_to_watch_first() -> None:
    assert evaluate(target(), [], Action.CHAT, NOW, chat=ChatFacts()).reason == Reason.GATE_REQUIRED
    assert evaluate(target(paid=True), [GATE_FORM], Action.CHAT, NOW).reason == Reason.PAYMENT_REQUIRED


def test_moderators_are_staff_or_named_and_chat_whatever_the_rules() -> None:
    assert evaluate(target(), [GATE_FORM], Action.MODERATE, NOW).reason == Reason.NOT_MODERATOR
    assert evaluate(target(), [], Action.MODERATE, NOW, chat=ChatFacts(staff=True)).allowed
    assert evaluate(target(), [MODERATOR], Action.MODERATE, NOW).allowed
    removed = grant(GrantSource.MODERATOR, revoked=True)
    assert not evaluate(target(), [removed], Action.MODERATE, NOW).allowed
    closed = ChatFacts(policy=ChatPolicy.NOBODY, banned=True)
    assert evaluate(target(paid=True), [MODERATOR], Action.CHAT, NOW, chat=closed).allowed
    # a moderator grant is not a right to watch
    assert evaluate(target(), [MODERATOR], Action.WATCH, NOW).reason == Reason.GATE_REQUIRED


def test_voting_and_reacting_need_the_room_but_not_its_posting_rules() -> None:
    muted = ChatFacts(policy=ChatPolicy.NOBODY, muted_until=LATER)
    assert evaluate(target(), [GATE_FORM], Action.VOTE, NOW, chat=muted).allowed
    assert evaluate(target(), [GATE_FORM], Action.VOTE, NOW, chat=ChatFacts(banned=True)).reason == Reason.BANNED
    assert evaluate(target(EventStatus.ENDED), [GATE_FORM], Action.VOTE, NOW).reason == Reason.ENDED
    assert evaluate(target(), [], Action.VOTE, NOW).reason == Reason.GATE_REQUIRED
