"""What the gateway remembers per conversation: its language, partner and transcript."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db import conversations, messages, utcnow


@dataclass
class Conversation:
    id: str
    channel: str
    language: Optional[str]
    language_locked: bool
    partner: Optional[str]
    created: bool = False  # first contact: this message created the conversation


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def conversation(self, conversation_id: str, channel: str, connection: Optional[AsyncConnection] = None) -> Conversation:
        """The conversation, created on first contact (in `connection`'s transaction when one is given)."""
        if connection is None:
            async with self.engine.begin() as own:
                return await self.conversation(conversation_id, channel, own)
        row = (await connection.execute(select(conversations).where(conversations.c.id == conversation_id))).first()
        if row is None:
            await connection.execute(insert(conversations).values(id=conversation_id, channel=channel, language_locked=False))
            return Conversation(conversation_id, channel, None, False, None, created=True)
        return Conversation(row.id, row.channel, row.language, bool(row.language_locked), row.partner)

    async def add_message(self, conversation_id: str, author: str, text: str, language: Optional[str]) -> None:
        await self.add_messages(conversation_id, author, [text], language)

    async def add_messages(self, conversation_id: str, author: str, texts: list[str], language: Optional[str]) -> None:
        """Several messages in one transaction (one commit per reply, not per message)."""
        if not texts:
            return
        async with self.engine.begin() as connection:
            await connection.execute(
                insert(messages), [{"conversation_id": conversation_id, "author": author, "text": t, "language": language} for t in texts]
            )

    async def record_incoming(
        self, conversation_id: str, text: str, text_language: str, connection: Optional[AsyncConnection] = None, **changes: object
    ) -> None:
        """The user's message and the conversation's new state (language, partner), in one transaction."""
        if connection is None:
            async with self.engine.begin() as own:
                return await self.record_incoming(conversation_id, text, text_language, own, **changes)
        await connection.execute(update(conversations).where(conversations.c.id == conversation_id).values(last_seen_at=utcnow(), **changes))
        await connection.execute(insert(messages).values(conversation_id=conversation_id, author="user", text=text, language=text_language))

    async def transcript(self, conversation_id: str) -> list[dict]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(messages).where(messages.c.conversation_id == conversation_id).order_by(messages.c.id)
            )
            return [dict(row._mapping) for row in rows]

    async def idle_since(self, cutoff: datetime) -> list[str]:
        """Conversations nobody wrote in since `cutoff` (for the retention limit)."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(select(conversations.c.id).where(conversations.c.last_seen_at < cutoff))
            return [row[0] for row in rows]

    async def forget(self, conversation_id: str) -> None:
        """Erases the conversation and its transcript."""
        async with self.engine.begin() as connection:
            await connection.execute(delete(messages).where(messages.c.conversation_id == conversation_id))
            await connection.execute(delete(conversations).where(conversations.c.id == conversation_id))
