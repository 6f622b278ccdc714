"""Counting failures (logins, passwords, codes) per key, in memory or in Redis when several instances run."""

from __future__ import annotations

import ipaddress
import math
import time

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from golive.platform.errors import TooManyRequests

IPV6_NETWORK_PREFIX = 64


def network_key(ip: str) -> str:
    """The source a per-address budget counts: an IPv4 address, or the /64 an IPv6 address belongs to.

    One IPv6 subscriber or cloud instance gets a whole /64 and can pick a fresh address per request, so
    counting single IPv6 addresses would let one machine dodge every per-address limit.
    """
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip  # not an address ("unknown", a test name): counted as it is
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_NETWORK_PREFIX), strict=False))
    return str(address)


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
                raise await self.refusal(scope, key, limit, window_seconds, message)

    async def refusal(self, scope: str, key: str, limit: int, window_seconds: int, message: str) -> TooManyRequests:
        """The 429 for a spent budget, with Retry-After: when its oldest counted attempt leaves the window."""
        stats = await self._limiter.get_window_stats(RateLimitItemPerSecond(limit, window_seconds), scope, key)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        return TooManyRequests(message, retry_after=retry_after)

    async def count(self, scope: str, key: str, limit: int, window_seconds: int) -> int | None:
        """Counts one (already happened) failure; how much of the budget is left after it, None when it
        was spent already and this one was not counted."""
        item = RateLimitItemPerSecond(limit, window_seconds)
        if not await self._limiter.hit(item, scope, key):
            return None
        stats = await self._limiter.get_window_stats(item, scope, key)
        return stats.remaining

    async def used(self, scope: str, key: str, limit: int, window_seconds: int) -> int:
        """How much of the budget the window holds now (0 for a key never counted)."""
        stats = await self._limiter.get_window_stats(RateLimitItemPerSecond(limit, window_seconds), scope, key)
        return limit - stats.remaining

    async def reset(self, scope: str, key: str, limit: int, window_seconds: int) -> None:
        await self._limiter.clear(RateLimitItemPerSecond(limit, window_seconds), scope, key)
