"""Counting failures (logins, passwords, codes) per key, in memory or in Redis when several instances run."""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from golive.errors import TooManyRequests


class RateLimiter:
    def __init__(self, redis_url: str = "") -> None:
        storage: Storage = (
            RedisStorage(f"async+{redis_url}", implementation="redispy", key_prefix="golive")
            if redis_url
            else MemoryStorage()
        )
        self._limiter = MovingWindowRateLimiter(storage)

    async def acquire(self, scope: str, budgets: list[tuple[str, int]], window_seconds: int, message: str) -> None:
        """Counts one attempt against every (key, limit) budget and refuses with 429 when one is spent.

        The attempt is counted before the caller checks the secret, so a burst of parallel guesses
        cannot slip past the limit while the first ones are still being verified.
        """
        for key, limit in budgets:
            item = RateLimitItemPerSecond(limit, window_seconds)
            if not await self._limiter.hit(item, scope, key):
                stats = await self._limiter.get_window_stats(item, scope, key)
                retry_after = max(1, math.ceil(stats.reset_time - time.time()))
                raise TooManyRequests(message, retry_after=retry_after)

    async def reset(self, scope: str, key: str, limit: int, window_seconds: int) -> None:
        await self._limiter.clear(RateLimitItemPerSecond(limit, window_seconds), scope, key)
