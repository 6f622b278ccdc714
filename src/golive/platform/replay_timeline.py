"""Where a moment of a live broadcast falls in its replay: the recording is the broadcast's parts joined with the
gaps between them (an encoder reconnecting) left out, then trimmed. Used to play a live chat back in step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReplayTimeline:
    # each recorded part: its wall-clock start and its length in seconds, oldest first
    pieces: tuple[tuple[datetime, float], ...]
    clip_start: float = 0.0  # the replay's trim, in seconds of the joined recording
    clip_end: float | None = None

    @property
    def length(self) -> float:
        """The replay's seconds."""
        recorded = sum(seconds for _, seconds in self.pieces)
        end = recorded if self.clip_end is None else min(recorded, self.clip_end)
        return max(0.0, end - self.clip_start)

    def offset_of(self, moment: datetime) -> float | None:
        """Seconds into the replay at which `moment` shows, or None when the replay does not hold it. A moment in
        a gap shows where the next part begins (at the seam)."""
        elapsed = 0.0
        position = None
        for start, seconds in self.pieces:
            into = (moment - start).total_seconds()
            if into < seconds:
                position = elapsed + max(0.0, into)
                break
            elapsed += seconds
        if position is None:
            position = elapsed
        if position < self.clip_start or (self.clip_end is not None and position > self.clip_end):
            return None
        return position - self.clip_start

    def earliest_moment(self, offset: float) -> datetime | None:
        """The earliest wall-clock moment that can show at `offset` or later (None: from the start)."""
        position = offset + self.clip_start
        elapsed = 0.0
        previous_end: datetime | None = None
        for start, seconds in self.pieces:
            if position < elapsed + seconds:
                if position <= elapsed:
                    return previous_end  # the seam: what was said in the gap before this part shows here
                return datetime.fromtimestamp(start.timestamp() + position - elapsed, start.tzinfo)
            elapsed += seconds
            previous_end = datetime.fromtimestamp(start.timestamp() + seconds, start.tzinfo)
        return previous_end
