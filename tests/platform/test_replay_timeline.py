"""Where a broadcast's moments fall in its replay: parts joined without their gaps, then trimmed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from golive.platform.replay_timeline import ReplayTimeline

T0 = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
# two parts of 10 s with the encoder away for 30 s between them
TWO_PARTS = ((T0, 10.0), (T0 + timedelta(seconds=40), 10.0))


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("moment", "offset"),
    [
        (at(-5), 0.0),  # said before the encoder came: shows at the start
        (at(0), 0.0),
        (at(4.5), 4.5),
        (at(25), 10.0),  # in the gap: at the seam
        (at(40), 10.0),
        (at(43), 13.0),
        (at(60), 20.0),  # after the last part: at the end
    ],
)
def test_a_moment_lands_where_the_joined_recording_holds_it(moment: datetime, offset: float) -> None:
    assert ReplayTimeline(TWO_PARTS).offset_of(moment) == pytest.approx(offset)


def test_the_trim_moves_the_origin_and_drops_what_it_cut() -> None:
    trimmed = ReplayTimeline(TWO_PARTS, clip_start=5.0, clip_end=15.0)
    assert trimmed.offset_of(at(4)) is None
    assert trimmed.offset_of(at(6)) == pytest.approx(1.0)
    assert trimmed.offset_of(at(44)) == pytest.approx(9.0)
    assert trimmed.offset_of(at(46)) is None
    assert trimmed.length == pytest.approx(10.0)


def test_the_earliest_moment_of_an_offset_reaches_back_over_a_gap() -> None:
    timeline = ReplayTimeline(TWO_PARTS)
    assert timeline.earliest_moment(0) is None  # from the very start
    assert timeline.earliest_moment(4) == at(4)
    assert timeline.earliest_moment(10) == at(10)  # the seam: the gap's messages show here
    assert timeline.earliest_moment(12) == at(42)
    assert timeline.earliest_moment(25) == at(50)  # past the end
    for offset in (0, 3, 10, 12, 19.5):  # what shows at an offset or later was said at its earliest moment or later
        earliest = timeline.earliest_moment(offset)
        for second in range(-5, 61):
            shown = timeline.offset_of(at(second))
            if shown is not None and shown >= offset:
                assert earliest is None or at(second) >= earliest
