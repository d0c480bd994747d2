"""Per-conversation rate limit: a burst from one user must not starve everyone else's replies."""
from __future__ import annotations

import time
from collections import deque
from typing import Optional


class RateLimiter:
    """At most `limit` messages per `window_s` seconds per conversation (in-process)."""

    def __init__(self, limit: int = 20, window_s: float = 60.0, max_tracked: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self._max_tracked = max_tracked
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        if len(self._seen) > self._max_tracked:  # bounded memory: forget idle conversations
            self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.window_s}
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True
