"""The home page's replays: which events have a ready video (media answers for the site)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from golive.media import service as media_service


async def with_video(session: AsyncSession, event_ids: Sequence[str]) -> set[str]:
    return await media_service.events_with_ready_media(session, event_ids)
