"""The live input's panel (live) shows how many viewers watch now (engagement.analytics' presence)."""

from __future__ import annotations

from starlette.requests import Request

from golive.engagement.analytics.routes import analytics_runtime


async def viewers_watching(request: Request, event_id: str) -> int:
    runtime = await analytics_runtime(request)
    return await runtime.realtime.presence.count(event_id)
