"""Per-conversation rate limit: a burst from one user must not starve everyone else's replies."""
from __future__ import annotations

from typing import Optional

from bot.sliding_window import MemoryWindow, SlidingWindow


class RateLimiter:
    """At most `limit` messages per window per conversation; the window is shared through Redis when there is one."""

    def __init__(self, limit: int = 20, window: Optional[SlidingWindow] = None) -> None:
        self.limit = limit
        self._window = window or MemoryWindow(60.0)

    async def allow(self, key: str) -> bool:
        return await self._window.add(key, self.limit)
