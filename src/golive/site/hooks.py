"""What the site asks of other domains through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from golive.platform.hooks import Hook


class WithVideo(Protocol):
    async def __call__(self, session: AsyncSession, event_ids: Sequence[str]) -> set[str]:
        """Which of these events have a ready video to play (an upload, or an ended broadcast's replay)."""
        ...


with_video: Hook[WithVideo] = Hook("site.with_video")
