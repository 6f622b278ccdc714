"""The micro-cache of the viewer-safe event JSON: the landing page is read by every viewer at once."""

from __future__ import annotations

from golive.platform.micro_cache import MicroCache

public_event_cache = MicroCache()
