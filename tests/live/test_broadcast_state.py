"""What a viewer is told from the event and its ingest row (GET /live-status's rule), moment by moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.events.models import Event, EventStatus, EventType
from golive.live.models import IngestState, LiveInput
from golive.live.schemas import BroadcastState
from golive.live.service import broadcast_state
from golive.platform.settings import Settings
from tests.live.conftest import live_test_settings

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return live_test_settings("sqlite+aiosqlite:///unused.db", tmp_path, live_health_seconds=2.0)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def live_event(status: EventStatus = EventStatus.LIVE) -> Event:
    return Event(event_id="e", title="t", event_type=EventType.LIVE, status=status)


def ingest(state: IngestState = IngestState.CONNECTED, **fields: datetime | None) -> LiveInput:
    values = {"connected_at": ago(30), "last_media_at": ago(1), "stream_ready_at": ago(25), "disconnected_at": None}
    return LiveInput(live_input_id="i", event_id="e", state=state, **(values | fields))


def test_on_air_from_the_first_segments_without_a_flash_of_interrupted(settings: Settings) -> None:
    # the event went live the moment its first segments existed, before any health write
    just_started = ingest(connected_at=ago(2), last_media_at=None, stream_ready_at=ago(0.1))
    assert broadcast_state(settings, live_event(), just_started, NOW) == BroadcastState.LIVE
    assert broadcast_state(settings, live_event(), ingest(), NOW) == BroadcastState.LIVE


def test_not_started_is_waiting(settings: Settings) -> None:
    assert broadcast_state(settings, live_event(EventStatus.SCHEDULED), ingest(), NOW) == BroadcastState.WAITING
    assert broadcast_state(settings, live_event(), None, NOW) == BroadcastState.WAITING
    assert broadcast_state(settings, live_event(), ingest(stream_ready_at=None), NOW) == BroadcastState.WAITING


def test_a_dropped_or_silent_encoder_interrupts(settings: Settings) -> None:
    dropped = ingest(IngestState.RECONNECTING, disconnected_at=ago(1))
    assert broadcast_state(settings, live_event(), dropped, NOW) == BroadcastState.INTERRUPTED
    assert broadcast_state(settings, live_event(), ingest(IngestState.IDLE), NOW) == BroadcastState.INTERRUPTED
    silent = ingest(last_media_at=ago(7))  # the socket is open, nothing arrives (more than 3 health ticks)
    assert broadcast_state(settings, live_event(), silent, NOW) == BroadcastState.INTERRUPTED


def test_back_after_a_drop_once_new_segments_can_exist(settings: Settings) -> None:
    returning = ingest(connected_at=ago(1), last_media_at=None, disconnected_at=ago(10))
    assert broadcast_state(settings, live_event(), returning, NOW) == BroadcastState.INTERRUPTED
    flowing = ingest(connected_at=ago(4), last_media_at=ago(0.5), disconnected_at=ago(10))
    assert broadcast_state(settings, live_event(), flowing, NOW) == BroadcastState.LIVE


def test_over_is_ended(settings: Settings) -> None:
    for status in (EventStatus.ENDED, EventStatus.ARCHIVED, EventStatus.CANCELLED):
        assert broadcast_state(settings, live_event(status), ingest(), NOW) == BroadcastState.ENDED
