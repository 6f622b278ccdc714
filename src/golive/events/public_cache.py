"""A micro-cache of the viewer-safe event JSON: the landing page is read by every viewer at once.

Writes in this process invalidate at once; other instances (and job workers) see a change after
at most GOLIVE_PUBLIC_CACHE_SECONDS, the same bound a CDN in front would add.
"""

from __future__ import annotations

import time


class PublicEventCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, bytes]] = {}
        self._max_entries = max_entries

    def get(self, event_id: str, max_age_seconds: float) -> bytes | None:
        entry = self._entries.get(event_id)
        if entry is None or time.monotonic() - entry[0] > max_age_seconds:
            return None
        return entry[1]

    def put(self, event_id: str, body: bytes) -> None:
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        self._entries[event_id] = (time.monotonic(), body)

    def invalidate(self, event_id: str) -> None:
        self._entries.pop(event_id, None)


public_event_cache = PublicEventCache()
