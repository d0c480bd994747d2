"""Durable inbox: a message Rasa could not answer waits here, in order, until Rasa is back.

Claiming a row is one conditional UPDATE, so with several gateways each message is processed once;
a claim older than CLAIM_TIMEOUT (a gateway died mid-way) is taken over.
"""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, Optional

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text, and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db import metadata, utcnow

CLAIM_TIMEOUT = timedelta(seconds=60)

inbox = Table(
    "inbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("text", Text, nullable=False),
    Column("message_id", String(32), nullable=False),  # the same id on every retry: Rasa answers it once
    Column("language", String(2), nullable=False),
    Column("claimed_by", String(36)),
    Column("claimed_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
)


class Inbox:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.worker_id = str(uuid.uuid4())

    async def add(self, conversation_id: str, text: str, language: str, message_id: str) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                insert(inbox).values(conversation_id=conversation_id, text=text, language=language, message_id=message_id)
            )

    async def has_pending(self, conversation_id: str, connection: Optional[AsyncConnection] = None) -> bool:
        if connection is None:
            async with self.engine.connect() as own:
                return await self.has_pending(conversation_id, own)
        return bool(await connection.scalar(select(func.count()).select_from(inbox).where(inbox.c.conversation_id == conversation_id)))

    async def conversations(self) -> list[str]:
        async with self.engine.connect() as connection:
            return [row[0] for row in await connection.execute(select(inbox.c.conversation_id).distinct())]

    async def claim_oldest(self, conversation_id: str) -> Optional[dict[str, Any]]:
        """The conversation's oldest waiting message, claimed for this worker; None if none or taken."""
        async with self.engine.begin() as connection:
            row = (
                await connection.execute(select(inbox).where(inbox.c.conversation_id == conversation_id).order_by(inbox.c.id).limit(1))
            ).first()
            if row is None:
                return None
            stale = utcnow() - CLAIM_TIMEOUT
            claimed = await connection.execute(
                update(inbox)
                .where(and_(inbox.c.id == row.id, or_(inbox.c.claimed_by.is_(None), inbox.c.claimed_by == self.worker_id, inbox.c.claimed_at < stale)))
                .values(claimed_by=self.worker_id, claimed_at=utcnow())
            )
            return dict(row._mapping) if claimed.rowcount == 1 else None

    async def release(self, item_id: int) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(update(inbox).where(inbox.c.id == item_id).values(claimed_by=None, claimed_at=None))

    async def done(self, item_id: int) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(delete(inbox).where(inbox.c.id == item_id))
