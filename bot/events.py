"""Live events for the console (new handoff, new message, claimed, closed).

In-process fan-out by default; with PASSAGE_REDIS_URL the same events travel over Redis pub/sub,
so a counsellor's console on one gateway sees what happens on another.
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, AsyncIterator, Optional

logger = logging.getLogger(__name__)
CHANNEL = "passage:events"


class EventBus:
    def __init__(self) -> None:
        self._queues: set[asyncio.Queue] = set()

    async def publish(self, kind: str, **data: Any) -> None:
        self.deliver({"kind": kind, **data})

    def deliver(self, event: dict[str, Any]) -> None:
        for queue in list(self._queues):
            if queue.qsize() < 1000:  # a stalled console must not grow memory without bound
                queue.put_nowait(event)

    async def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue = asyncio.Queue()
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)

    async def close(self) -> None:
        return None


class RedisEventBus(EventBus):
    """Publishes through Redis; every gateway's listener fans events out to its own consoles."""

    def __init__(self, redis: Any) -> None:
        """`redis` is the gateway's shared client (redis.asyncio); whoever made it closes it."""
        super().__init__()
        self._redis = redis
        self._listener: Optional[asyncio.Task] = None
        self._pubsub: Optional[Any] = None

    async def start(self) -> None:
        self._pubsub = pubsub = self._redis.pubsub()
        await pubsub.subscribe(CHANNEL)

        async def listen() -> None:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    self.deliver(json.loads(message["data"]))

        self._listener = asyncio.create_task(listen())

    async def publish(self, kind: str, **data: Any) -> None:
        await self._redis.publish(CHANNEL, json.dumps({"kind": kind, **data}))

    async def close(self) -> None:
        if self._listener:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        if self._pubsub is not None:
            await self._pubsub.close()
