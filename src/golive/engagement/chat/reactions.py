"""Reactions: emoji bursts over the player. Taps are counted in memory and leave once a second per room as one
`reactions` frame (a crowd of thousands is still one frame a second per instance), and are added to the
per-minute counts analytics reads (seed 002's chat_reactions, kept as counts)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from golive.engagement.chat.models import ChatReactionCount
from golive.platform.db import dialect_insert

PALETTE = ("👍", "❤️", "😂", "😮", "👏", "🎉", "🔥")
# a person's taps: 10 at once, 5 a second after that (more would only be dropped in the burst anyway)
REACTION_CAPACITY = 10
REACTION_REFILL_PER_SECOND = 5.0


class ReactionTally:
    """This instance's reactions since the last tick, per room."""

    def __init__(self) -> None:
        self._counts: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, event_id: str, emoji: str) -> None:
        self._counts[event_id][emoji] += 1

    def take(self) -> dict[str, Counter[str]]:
        taken, self._counts = self._counts, defaultdict(Counter)
        return dict(taken)


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


async def record(session: AsyncSession, counts: dict[str, Counter[str]], at: datetime) -> None:
    """Adds a tick's counts to their minute (one statement for every room and emoji)."""
    rows = [
        {"event_id": event_id, "minute": minute_of(at), "emoji": emoji, "count": n}
        for event_id, tally in counts.items()
        for emoji, n in tally.items()
    ]
    if not rows:
        return
    statement = dialect_insert(session, ChatReactionCount).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["event_id", "minute", "emoji"],
        set_={"count": ChatReactionCount.count + statement.excluded["count"]},
    )
    await session.execute(statement)


async def per_minute(session: AsyncSession, event_id: str) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(ChatReactionCount)
        .where(ChatReactionCount.event_id == event_id)
        .order_by(ChatReactionCount.minute, ChatReactionCount.emoji)
    )
    return [{"minute": row.minute, "emoji": row.emoji, "count": row.count} for row in rows]
