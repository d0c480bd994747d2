"""Counts of recent hits per key, kept in this process or in Redis (shared by every gateway).

The per-user rate limit and the console's login throttle both ask "how many times in the last N
seconds?". With several gateways behind a load balancer, an in-process count would give a user (or
a password guesser) one allowance per gateway; in Redis there is one count for all of them.
If Redis cannot be reached the window lets the hit through and logs it: a Redis outage must not
stop people from getting answers.
"""
from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from typing import Any, Callable, Optional, Protocol

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class SlidingWindow(Protocol):
    window_s: float

    async def count(self, key: str) -> int: ...

    async def add(self, key: str, limit: Optional[int] = None) -> bool:
        """Records a hit unless `limit` hits are already in the window; True if it was recorded."""

    async def clear(self, key: str) -> None: ...


class MemoryWindow:
    """One process's own counts, bounded in memory."""

    def __init__(self, window_s: float, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        now = self._clock()
        if len(self._hits) > self._max_keys:  # forget idle keys rather than grow without bound
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window_s}
        times = self._hits.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    async def count(self, key: str) -> int:
        return len(self._recent(key))

    async def add(self, key: str, limit: Optional[int] = None) -> bool:
        times = self._recent(key)
        if limit is not None and len(times) >= limit:
            return False
        times.append(self._clock())
        return True

    async def clear(self, key: str) -> None:
        self._hits.pop(key, None)


# Trim, count and (when under the limit) add in one step, so two gateways cannot both take the last slot.
_ADD = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local limit = tonumber(ARGV[3])
if limit >= 0 and redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(ARGV[2] * 1000))
return 1
"""


class RedisWindow:
    """Counts in a Redis sorted set per key (score = time), expiring with the window."""

    def __init__(self, redis: Any, prefix: str, window_s: float, clock: Callable[[], float] = time.time) -> None:
        self.window_s = window_s
        self._redis = redis
        self._prefix = prefix
        self._clock = clock
        self._add = redis.register_script(_ADD)

    def _key(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    async def count(self, key: str) -> int:
        try:
            return int(await self._redis.zcount(self._key(key), self._clock() - self.window_s, "+inf"))
        except (RedisError, OSError) as error:
            logger.warning("sliding window %s: Redis unreachable (%s); counting nothing", self._prefix, type(error).__name__)
            return 0

    async def add(self, key: str, limit: Optional[int] = None) -> bool:
        now = self._clock()
        try:
            added = await self._add(keys=[self._key(key)], args=[now, self.window_s, -1 if limit is None else limit, f"{now}:{uuid.uuid4().hex[:8]}"])
        except (RedisError, OSError) as error:
            logger.warning("sliding window %s: Redis unreachable (%s); letting it through", self._prefix, type(error).__name__)
            return True
        return bool(added)

    async def clear(self, key: str) -> None:
        try:
            await self._redis.delete(self._key(key))
        except (RedisError, OSError) as error:
            logger.warning("sliding window %s: Redis unreachable (%s); not cleared", self._prefix, type(error).__name__)
