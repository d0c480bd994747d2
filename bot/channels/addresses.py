"""Where to reach a conversation later (Telegram chat id, WhatsApp number), encrypted at rest.

Pushing a counsellor's reply needs the channel's own address, which the pseudonymous conversation id
deliberately cannot give back. So it is kept here, keyed by the conversation id, Fernet-encrypted with a
key derived from the pseudonym secret; the row goes when the conversation is deleted (foreign key cascade).
Also kept per conversation: the last inbound time (WhatsApp's 24-hour window), whether the user blocked
the bot, the language of the last reply, and the choices of a numbered-text menu awaiting an answer.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, String, Table, Text, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import as_utc, metadata, utcnow

channel_addresses = Table(
    "channel_addresses",
    metadata,
    Column("conversation_id", String(64), ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True),
    Column("channel", String(16), nullable=False),
    Column("address", Text, nullable=False),  # Fernet token, never the raw id
    Column("blocked", Boolean, nullable=False, default=False),
    Column("language", String(2)),
    Column("last_inbound_at", DateTime(timezone=True)),
    Column("pending_options", Text),  # JSON list of payloads offered as a numbered list
    Column("updated_at", DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow),
)


def address_key(pseudonym_secret: str) -> bytes:
    """A Fernet key derived from the pseudonym secret, so there is one secret to keep, not two."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"passage", info=b"channel addresses v1").derive(pseudonym_secret.encode())
    return base64.urlsafe_b64encode(raw)


@dataclass(frozen=True)
class Address:
    conversation_id: str
    channel: str
    address: str
    blocked: bool
    language: Optional[str]
    last_inbound_at: Optional[datetime]
    pending_options: list[str]


class AddressBook:
    def __init__(self, engine: AsyncEngine, pseudonym_secret: str) -> None:
        self.engine = engine
        self._fernet = Fernet(address_key(pseudonym_secret))

    async def inbound(self, conversation_id: str, channel: str, address: str, at: Optional[datetime] = None, create: bool = True) -> None:
        """Records that the user wrote: keeps the address, unblocks, and restarts the service window.

        create=False only refreshes a conversation already known (media before any text has no row to attach to).
        """
        values = {
            "channel": channel,
            "address": self._fernet.encrypt(address.encode()).decode(),
            "blocked": False,
            "last_inbound_at": at or utcnow(),
        }
        async with self.engine.begin() as connection:
            exists = (await connection.execute(select(channel_addresses.c.conversation_id).where(channel_addresses.c.conversation_id == conversation_id))).first()
            if exists:
                await connection.execute(update(channel_addresses).where(channel_addresses.c.conversation_id == conversation_id).values(**values))
            elif create:
                await connection.execute(insert(channel_addresses).values(conversation_id=conversation_id, **values))

    async def get(self, conversation_id: str) -> Optional[Address]:
        async with self.engine.connect() as connection:
            row = (await connection.execute(select(channel_addresses).where(channel_addresses.c.conversation_id == conversation_id))).first()
        if row is None:
            return None
        try:
            address = self._fernet.decrypt(row.address.encode()).decode()
        except InvalidToken:  # the pseudonym secret changed: the address is unrecoverable
            return None
        options = json.loads(row.pending_options) if row.pending_options else []
        return Address(row.conversation_id, row.channel, address, bool(row.blocked), row.language, as_utc(row.last_inbound_at), options)

    async def set(self, conversation_id: str, **values: object) -> None:
        """Updates blocked / language / pending_options of a known conversation (no-op for unknown ones)."""
        if "pending_options" in values:
            options = values["pending_options"]
            values["pending_options"] = json.dumps(options) if options else None
        async with self.engine.begin() as connection:
            await connection.execute(update(channel_addresses).where(channel_addresses.c.conversation_id == conversation_id).values(**values))

    async def forget(self, conversation_id: str) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(delete(channel_addresses).where(channel_addresses.c.conversation_id == conversation_id))
