"""The gateway's database: SQLite by default, PostgreSQL in production, through the same code."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Awaitable, Callable, Optional, TypeVar

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

metadata = MetaData()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: Optional[datetime]) -> Optional[datetime]:
    """Datetimes come back naive from SQLite and aware from PostgreSQL; both were written in UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


conversations = Table(
    "conversations",
    metadata,
    Column("id", String(64), primary_key=True),  # pseudonym, never the channel's user id
    Column("channel", String(16), nullable=False),
    Column("language", String(2)),
    Column("language_locked", Boolean, nullable=False, default=False),
    Column("partner", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("last_seen_at", DateTime(timezone=True), nullable=False, default=utcnow),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("author", String(16), nullable=False),  # user, bot, counsellor
    Column("author_id", Integer),  # the counsellor's account id for counsellor messages
    Column("language", String(2)),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
)


accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), unique=True, nullable=False),
    Column("display_name", String(128), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("role", String(16), nullable=False),  # counsellor, supervisor, admin
    Column("languages", String(64), nullable=False, default=""),  # comma-separated ISO 639-1
    Column("countries", String(256), nullable=False, default=""),  # comma-separated ISO 3166-1; empty: all
    Column("last_seen_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
)

handoffs = Table(
    "handoffs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("status", String(16), nullable=False, default="waiting"),  # waiting, claimed, closed
    Column("priority", String(16), nullable=False, default="normal"),  # normal, emergency
    Column("reason", String(32), nullable=False),
    Column("language", String(2)),
    Column("country", String(2)),
    Column("summary", Text, nullable=False, default="{}"),  # JSON gathered by the bot
    Column("assigned_to", Integer, ForeignKey("accounts.id")),
    Column("assigned_role", String(16)),  # a transfer to "supervisor" waits for any supervisor
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("claimed_at", DateTime(timezone=True)),
    Column("first_reply_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("outcome", String(32)),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("author_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
)


def make_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys (so deletions cascade) and write-ahead logging."""
    if url.startswith("sqlite"):
        # SQLAlchemy 1.4 gives aiosqlite no pool (a new connection and thread per transaction); one kept
        # connection makes the gateway several times faster. Only one: SQLite has a single writer, and
        # several connections made concurrent writers poll-sleep in SQLite's busy handler (up to 100 ms
        # a time: the 1-second outliers under `make bench-load`); one connection queues them instead.
        from sqlalchemy.pool import AsyncAdaptedQueuePool

        engine = create_async_engine(url, future=True, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=0)
    else:
        # Connections beyond pool_size are closed when returned and opened again at the next burst
        # (TLS negotiation, authentication, type introspection: the most expensive thing the gateway
        # did under 20 concurrent users with 10). 25 kept connections cover a burst without churn.
        engine = create_async_engine(url, future=True, pool_size=25, max_overflow=10)
    if engine.dialect.name == "sqlite":
        from sqlalchemy import event

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # WAL: readers never wait for the writer, and a commit is one append instead of a journal dance
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


T = TypeVar("T")


async def with_database(url: str, task: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """A schema-ready engine for one short task (the command-line tools), disposed afterwards."""
    engine = make_engine(url)
    try:
        await create_schema(engine)
        return await task(engine)
    finally:
        await engine.dispose()


SCHEMA_LOCK = 7_245_617  # any fixed number: PostgreSQL advisory lock id for schema migrations


async def create_schema(engine: AsyncEngine) -> None:
    """Upgrades the schema to the newest Alembic revision (bot/migrations); with several gateways
    starting at once, one at a time (PostgreSQL advisory lock, held until the transaction ends)."""
    from bot.migrations import upgrade

    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            from sqlalchemy import text

            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        await connection.run_sync(upgrade)
