"""What the chat asks of other domains through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from golive.platform.hooks import Hook
from golive.platform.replay_timeline import ReplayTimeline
from golive.platform.settings import Settings


class ReplayTimelineOf(Protocol):
    async def __call__(self, session: AsyncSession, settings: Settings, event_id: str) -> ReplayTimeline | None:
        """Where the broadcast's moments fall in the event's replay (None: its video is no recording of it)."""
        ...


replay_timeline: Hook[ReplayTimelineOf] = Hook("chat.replay_timeline")
