"""What the events domain asks of others through hooks (golive.platform.hooks), wired by golive.flows."""

from __future__ import annotations

from typing import Protocol

from golive.platform.context import AppContext
from golive.platform.hooks import Hook


class EventSaved(Protocol):
    async def __call__(self, ctx: AppContext, event_id: str, price_changed: bool, renamed: bool = False) -> bool:
        """After an event is created or saved; True when the event row changed (so the caller refreshes it)."""
        ...


event_saved: Hook[EventSaved] = Hook("events.event_saved")
