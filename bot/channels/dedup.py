"""Processes each delivered message once: Meta re-delivers a webhook it thinks failed, for up to 7 days.

Seen message ids are kept in the database (hashed: they are not secret, but needn't be readable) for a
bounded window, so a restart does not answer the same message twice and the table does not grow forever.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import Column, DateTime, String, Table, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import metadata, utcnow

WINDOW = timedelta(days=8)  # longer than Meta's 7 days of retries

seen_messages = Table(
    "channel_seen_messages",
    metadata,
    Column("key", String(64), primary_key=True),  # sha256 of channel:message id
    Column("seen_at", DateTime(timezone=True), nullable=False, default=utcnow, index=True),
)


class SeenMessages:
    def __init__(self, engine: AsyncEngine, channel: str, window: timedelta = WINDOW) -> None:
        self.engine = engine
        self.channel = channel
        self.window = window

    async def first_time(self, message_id: str, now: Optional[datetime] = None) -> bool:
        """True the first time a message id is seen within the window, False for a re-delivery."""
        now = now or utcnow()
        key = hashlib.sha256(f"{self.channel}:{message_id}".encode()).hexdigest()
        try:
            async with self.engine.begin() as connection:
                await connection.execute(delete(seen_messages).where(seen_messages.c.seen_at < now - self.window))
                await connection.execute(insert(seen_messages).values(key=key, seen_at=now))
        except IntegrityError:
            return False
        return True
