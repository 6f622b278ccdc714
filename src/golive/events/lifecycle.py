"""The one state machine of an event's life: which status may follow which."""

from __future__ import annotations

from golive.automation.models import TriggerType
from golive.events.models import EventStatus

S = EventStatus

TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    S.DRAFT: frozenset({S.SCHEDULED, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.LIVE, S.CANCELLED, S.DRAFT}),
    S.LIVE: frozenset({S.ENDED}),
    S.ENDED: frozenset({S.ARCHIVED}),
    S.ARCHIVED: frozenset(),
    S.CANCELLED: frozenset(),
}

# What the automation log calls each arrival (seed 000: preStart on go-live, postStop on end).
TRIGGER_ON_ENTER: dict[EventStatus, TriggerType] = {
    S.SCHEDULED: TriggerType.SCHEDULE,
    S.DRAFT: TriggerType.SCHEDULE,
    S.LIVE: TriggerType.PRE_START,
    S.ENDED: TriggerType.POST_STOP,
    S.ARCHIVED: TriggerType.CLEANUP,
    S.CANCELLED: TriggerType.POST_STOP,
}


def can_transition(current: EventStatus, target: EventStatus) -> bool:
    return target in TRANSITIONS[current]


def allowed_transitions(current: EventStatus) -> list[EventStatus]:
    order = list(EventStatus)
    return sorted(TRANSITIONS[current], key=order.index)
