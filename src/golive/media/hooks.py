"""What the media domain asks of others through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from golive.events.models import Event
from golive.media.schemas import PlaybackOut
from golive.platform.context import AppContext
from golive.platform.hooks import Hook


class LivePlayback(Protocol):
    async def __call__(
        self, ctx: AppContext, session: AsyncSession, event: Event, *, admin: bool
    ) -> PlaybackOut | None:
        """The live stream's playback while the event is live and on air; None: play the on-demand video."""
        ...


live_playback: Hook[LivePlayback] = Hook("media.live_playback")
