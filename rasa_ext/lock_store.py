"""Rasa's Redis lock store, with its Redis round trips made off Rasa's event loop.

Rasa's RedisLockStore talks to Redis with blocking calls: seven round trips for every message
(issue a ticket, check it, hand it back). Profiling a Rasa server on PostgreSQL and Redis under
`make bench-load` showed a tenth of its event loop's time waiting in them, time in which no other
conversation moved. Here each phase runs in a worker thread; the tickets, their order and their
expiry are Rasa's own, unchanged.
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncGenerator

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class ThreadedRedisLockStore(RedisLockStore):
    """`lock_store: type: rasa_ext.lock_store.ThreadedRedisLockStore` in endpoints.yml, with the
    same `url`, `port`, `db`, `key_prefix`… as Rasa's `type: redis`."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = await asyncio.to_thread(self.issue_ticket, conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            await asyncio.to_thread(self.cleanup, conversation_id, ticket)

    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        lock = await asyncio.to_thread(self.get_lock, conversation_id)
        if lock is not None and not lock.is_locked(ticket):
            return lock  # the usual case: nobody ahead of this message
        return await super()._acquire_lock(conversation_id, ticket, wait_time_in_seconds)  # Rasa's wait loop
