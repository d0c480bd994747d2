"""`python -m bot migrate`: upgrade the gateway's database, or write a new migration.

The gateway upgrades its database by itself at start-up; this is for developers (a new migration
after changing a table) and for operators who want the upgrade to happen before a deployment.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    migrate = commands.add_parser("migrate", help="upgrade the database schema, or write a new migration (--new)")
    migrate.add_argument("--new", metavar="MESSAGE", help="write bot/migrations/versions/<n>_<message>.py from the changed tables")
    migrate.set_defaults(func=_migrate)


def _migrate(args: argparse.Namespace) -> int:
    if args.new:
        path = asyncio.run(new_revision(args.new))
        print(f"wrote {path}: read it, adjust it, and commit it with the table change")
        return 0
    from bot.db import with_database
    from bot.settings import Settings

    async def nothing(_engine: object) -> None:
        return None

    asyncio.run(with_database(Settings.from_env().database_url, nothing))  # with_database upgrades first
    print("database schema is at the newest revision")
    return 0


async def new_revision(message: str) -> Path:
    """Autogenerates the next numbered revision by comparing the tables with a scratch database at head."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from bot.db import create_schema, make_engine
    from bot.migrations import config

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(scratch) / 'head.db'}")
        try:
            await create_schema(engine)
            head = ScriptDirectory.from_config(config()).get_current_head() or "0000"
            rev_id = f"{int(head) + 1:04d}"
            slug = "_".join(message.lower().split())[:40]

            def write(connection) -> Path:  # type: ignore[no-untyped-def]
                script = command.revision(config(connection), message=message, autogenerate=True, rev_id=rev_id)
                return Path(script.path)  # type: ignore[union-attr]

            async with engine.begin() as connection:
                path = await connection.run_sync(write)
        finally:
            await engine.dispose()
    target = path.with_name(f"{rev_id}_{slug}.py")
    path.rename(target)
    return target
