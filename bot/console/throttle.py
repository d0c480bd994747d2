"""Login throttling: too many failed passwords for one username or from one address → 429.

Kept in memory per gateway process: it slows down guessing, which is all it must do; a restart
forgetting it is acceptable. The per-address limit is higher than the per-username one because a
whole counselling office may sit behind one NAT address.
"""
from __future__ import annotations

import time
from collections import deque
from typing import Callable

WINDOW_S = 15 * 60
MAX_PER_USERNAME = 5
MAX_PER_ADDRESS = 20


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> int:
        times = self._failures.get(key)
        if not times:
            return 0
        cutoff = self._clock() - WINDOW_S
        while times and times[0] < cutoff:
            times.popleft()
        if not times:
            del self._failures[key]
            return 0
        return len(times)

    def blocked(self, username: str, address: str) -> bool:
        return self._recent(f"user:{username.lower()}") >= MAX_PER_USERNAME or self._recent(f"addr:{address}") >= MAX_PER_ADDRESS

    def failed(self, username: str, address: str) -> None:
        now = self._clock()
        for key in (f"user:{username.lower()}", f"addr:{address}"):
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(f"user:{username.lower()}", None)
