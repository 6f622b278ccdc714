"""Micro-caches of public JSON every viewer reads at once (an event's page, the site's settings, its home page).

Writes in this process invalidate at once; other instances (and job workers) see a change after
at most GOLIVE_PUBLIC_CACHE_SECONDS, the same bound a CDN in front would add.
"""

from __future__ import annotations

import time


class MicroCache:
    """Serialized answers by key, each kept while younger than the reader's max age."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, bytes]] = {}
        self._max_entries = max_entries

    def get(self, key: str, max_age_seconds: float) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry[0] > max_age_seconds:
            return None
        return entry[1]

    def put(self, key: str, body: bytes) -> None:
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), body)

    def invalidate(self, key: str) -> None:
        self._entries.pop(key, None)
