"""Where the event went live in the joined recording (the trim tool's "cut the waiting" start), gaps left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from golive.live.recording import went_live_offset

START = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def parts(*offsets: float) -> list[tuple[Path, datetime]]:
    return [(Path(f"part-{i}.ts"), START + timedelta(seconds=offset)) for i, offset in enumerate(offsets)]


def test_an_event_live_from_its_first_frame_replays_from_zero() -> None:
    assert went_live_offset(parts(0), [60.0], START - timedelta(seconds=1)) == 0.0
    assert went_live_offset(parts(0), [60.0], None) == 0.0


def test_a_rehearsal_before_going_live_is_located_in_the_recording() -> None:
    # Rehearsal 0-30 s, a gap, the show from 100 s; live declared at 110 s.
    offset = went_live_offset(parts(0, 100), [30.0, 300.0], START + timedelta(seconds=110))
    assert offset == 40.0  # the rehearsal's 30 s, then 10 s into the show's part


def test_going_live_inside_the_first_part() -> None:
    assert went_live_offset(parts(0, 100), [30.0, 300.0], START + timedelta(seconds=12.5)) == 12.5
