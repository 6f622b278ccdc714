"""Playback (media) plays the live stream (live) while the event is live and on air."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from golive.events.models import Event
from golive.live import service as live_service
from golive.media.schemas import PlaybackOut
from golive.platform.context import AppContext


async def live_playback(ctx: AppContext, session: AsyncSession, event: Event, *, admin: bool) -> PlaybackOut | None:
    return await live_service.live_playback(ctx, session, event, admin=admin)
