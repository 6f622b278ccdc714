"""What the live domain asks of others through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from typing import Protocol

from starlette.requests import Request

from golive.platform.hooks import Hook


class ViewersWatching(Protocol):
    async def __call__(self, request: Request, event_id: str) -> int:
        """How many viewers watch the event now (the analytics presence count)."""
        ...


viewers_watching: Hook[ViewersWatching] = Hook("live.viewers_watching")
