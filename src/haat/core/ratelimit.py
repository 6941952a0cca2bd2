"""Rate limits with the `limits` library: moving windows in memory, or in Redis when set.

With ``REDIS_URL`` set, every worker shares the same counters.
"""

from __future__ import annotations

import math
import time
from typing import cast

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from haat.core.errors import TooManyRequests


class RateLimiter:
    """Checks and counts hits against named limits such as ``"5/hour"``."""

    def __init__(self, redis_url: str | None = None) -> None:
        storage: Storage
        if redis_url:
            storage = cast(
                Storage, storage_from_string("async+" + redis_url, implementation="redispy")
            )
        else:
            storage = MemoryStorage()
        self.storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._items: dict[str, RateLimitItem] = {}

    def _item(self, limit: str) -> RateLimitItem:
        if limit not in self._items:
            self._items[limit] = parse(limit)
        return self._items[limit]

    async def hit(self, limit: str, *key: str, detail: str = "Too many requests") -> None:
        """Count one hit for ``key`` under ``limit``; raise 429 with Retry-After past it."""
        item = self._item(limit)
        if not await self._limiter.hit(item, *key):
            stats = await self._limiter.get_window_stats(item, *key)
            raise TooManyRequests(detail, retry_after=math.ceil(stats.reset_time - time.time()))

    async def reset(self) -> None:
        await self.storage.reset()
