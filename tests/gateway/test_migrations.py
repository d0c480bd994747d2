"""The gateway's schema comes from Alembic migrations (bot/migrations), on SQLite and PostgreSQL.

The first test is the guard for developers: a column or table added to the code without a
migration makes the migrated schema differ from `bot.db.metadata`, and it fails naming the change.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import conversations, create_schema, make_engine, messages
from bot.migrations import INITIAL, all_tables, config
from tests.databases import database_url

# The tables metadata.create_all made before migrations existed (the initial revision).
CREATE_ALL_TABLES = (
    "accounts", "channel_addresses", "channel_payloads", "channel_seen_messages", "console_notifications",
    "console_sessions", "conversations", "handoffs", "inbox", "messages", "notes", "partners", "plan_files",
)


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path):
    engine = make_engine(await database_url(request.param, tmp_path))
    yield engine
    await engine.dispose()


async def schema_differences(engine: AsyncEngine) -> list:
    def compare(connection) -> list:  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, all_tables())

    async with engine.connect() as connection:
        return await connection.run_sync(compare)


async def revision(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        return (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


async def test_upgrade_from_empty_gives_exactly_the_declared_schema(engine: AsyncEngine) -> None:
    await create_schema(engine)
    assert await schema_differences(engine) == []
    assert await revision(engine) == head()


async def test_a_database_made_by_create_all_is_adopted_with_its_data(engine: AsyncEngine) -> None:
    metadata = all_tables()
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: metadata.create_all(sync, tables=[metadata.tables[name] for name in CREATE_ALL_TABLES]))
        await connection.execute(insert(conversations).values(id="c1", channel="web", language_locked=False))
        await connection.execute(insert(messages).values(conversation_id="c1", author="user", text="kept"))
    await create_schema(engine)
    async with engine.connect() as connection:
        assert (await connection.execute(select(messages.c.text))).scalars().all() == ["kept"]
    assert await revision(engine) == head()
    assert await schema_differences(engine) == []


async def test_upgrading_twice_changes_nothing(engine: AsyncEngine) -> None:
    await create_schema(engine)
    async with engine.begin() as connection:
        await connection.execute(insert(conversations).values(id="c1", channel="web", language_locked=False))
    await create_schema(engine)
    async with engine.connect() as connection:
        assert (await connection.execute(select(conversations.c.id))).scalars().all() == ["c1"]
        assert (await connection.execute(text("SELECT count(*) FROM alembic_version"))).scalar_one() == 1
    assert await schema_differences(engine) == []


async def test_the_initial_revision_is_the_old_create_all_schema(engine: AsyncEngine) -> None:
    from alembic import command

    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(config(sync), INITIAL))
    async with engine.connect() as connection:
        tables = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    assert tables == {*CREATE_ALL_TABLES, "alembic_version"}
