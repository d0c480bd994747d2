"""Console sessions kept server-side, so logging out or expiring really ends them.

The browser holds only a random token; the table stores its SHA-256, so a copy of the database
does not hand out live sessions. Each session carries its own CSRF token for the console's forms.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import metadata, utcnow

SESSION_LIFETIME = timedelta(hours=10)  # one working shift; a new login after that

console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Session:
    account_id: int
    csrf_token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def create_session(engine: AsyncEngine, account_id: int) -> tuple[str, Session]:
    """A new session; returns the cookie token (shown once, never stored) and the session."""
    token = secrets.token_urlsafe(32)
    session = Session(account_id, secrets.token_urlsafe(32))
    now = utcnow()
    async with engine.begin() as connection:
        await connection.execute(delete(console_sessions).where(console_sessions.c.expires_at <= now))
        await connection.execute(
            insert(console_sessions).values(
                token_hash=_hash(token), account_id=account_id, csrf_token=session.csrf_token, created_at=now, expires_at=now + SESSION_LIFETIME
            )
        )
    return token, session


async def load_session(engine: AsyncEngine, token: Optional[str]) -> Optional[Session]:
    """The live session for this cookie token, or None when unknown or expired."""
    if not token or len(token) > 128:
        return None
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(console_sessions).where(console_sessions.c.token_hash == _hash(token), console_sessions.c.expires_at > utcnow())
            )
        ).first()
    return Session(row.account_id, row.csrf_token) if row else None


async def end_session(engine: AsyncEngine, token: Optional[str]) -> None:
    if token:
        async with engine.begin() as connection:
            await connection.execute(delete(console_sessions).where(console_sessions.c.token_hash == _hash(token)))
