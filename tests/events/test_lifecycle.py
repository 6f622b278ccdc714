"""The state machine alone: which moves are legal, and what each arrival is logged as."""

from __future__ import annotations

import itertools

import pytest

from golive.automation.models import TriggerType
from golive.events.lifecycle import TRIGGER_ON_ENTER, allowed_transitions, can_transition
from golive.events.models import EventStatus as S

LEGAL = {
    (S.DRAFT, S.SCHEDULED),
    (S.DRAFT, S.CANCELLED),
    (S.SCHEDULED, S.LIVE),
    (S.SCHEDULED, S.CANCELLED),
    (S.SCHEDULED, S.DRAFT),
    (S.LIVE, S.ENDED),
    (S.ENDED, S.ARCHIVED),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_only_the_documented_moves_are_legal(current: S, target: S) -> None:
    assert can_transition(current, target) == ((current, target) in LEGAL)


def test_archived_and_cancelled_are_final() -> None:
    assert allowed_transitions(S.ARCHIVED) == []
    assert allowed_transitions(S.CANCELLED) == []


def test_allowed_transitions_are_listed_in_lifecycle_order() -> None:
    assert allowed_transitions(S.SCHEDULED) == [S.DRAFT, S.LIVE, S.CANCELLED]


def test_going_live_is_pre_start_and_ending_is_post_stop() -> None:
    assert TRIGGER_ON_ENTER[S.LIVE] == TriggerType.PRE_START
    assert TRIGGER_ON_ENTER[S.ENDED] == TriggerType.POST_STOP
    assert TRIGGER_ON_ENTER[S.ARCHIVED] == TriggerType.CLEANUP
