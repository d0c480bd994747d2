"""Button payloads that are too long for a channel's button id (Telegram: 64 bytes, WhatsApp: 200 chars).

Short payloads travel as they are; a long one is replaced by `#<hash>` and the hash→payload pair is kept in
the database, so a button pressed after a restart still means what it said.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import Column, DateTime, String, Table, Text, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import metadata, utcnow

channel_payloads = Table(
    "channel_payloads",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
)


class PayloadKeys:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def encode(self, payload: str, max_bytes: int) -> str:
        """A button id of at most max_bytes (UTF-8) that decode() turns back into the payload."""
        if len(payload.encode()) <= max_bytes and not payload.startswith("#"):
            return payload
        key = "#" + hashlib.sha256(payload.encode()).hexdigest()[:40]
        try:
            async with self.engine.begin() as connection:
                await connection.execute(insert(channel_payloads).values(key=key, payload=payload))
        except IntegrityError:
            pass  # the same payload was stored before
        return key

    async def decode(self, key: str) -> str:
        if not key.startswith("#"):
            return key
        async with self.engine.connect() as connection:
            row = (await connection.execute(select(channel_payloads.c.payload).where(channel_payloads.c.key == key))).first()
        return row.payload if row else ""
