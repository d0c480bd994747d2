"""Login throttling: too many failed passwords for one username or from one address → 429.

It slows down guessing, which is all it must do. With Redis (PASSAGE_REDIS_URL) the counts are
shared by every gateway, so a guesser gets no extra tries by being spread across them; without it
they live in the process and a restart forgets them. The per-address limit is higher than the
per-username one because a whole counselling office may sit behind one NAT address.
"""
from __future__ import annotations

from typing import Optional

from bot.sliding_window import MemoryWindow, SlidingWindow

WINDOW_S = 15 * 60
MAX_PER_USERNAME = 5
MAX_PER_ADDRESS = 20


class LoginThrottle:
    def __init__(self, window: Optional[SlidingWindow] = None) -> None:
        self._failures = window or MemoryWindow(WINDOW_S)

    async def blocked(self, username: str, address: str) -> bool:
        return (
            await self._failures.count(f"user:{username.lower()}") >= MAX_PER_USERNAME
            or await self._failures.count(f"addr:{address}") >= MAX_PER_ADDRESS
        )

    async def failed(self, username: str, address: str) -> None:
        for key in (f"user:{username.lower()}", f"addr:{address}"):
            await self._failures.add(key)

    async def succeeded(self, username: str) -> None:
        await self._failures.clear(f"user:{username.lower()}")
