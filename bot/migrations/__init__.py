"""Alembic migrations of the gateway's database, run by the gateway itself at start-up.

No alembic.ini: the configuration is built here, so `create_schema` (and developers, through
`python -m bot migrate`) upgrade with the same code. A new column or table goes into a new file
in `versions/`; tests/gateway/test_migrations.py fails while the migrations and the tables
declared on `bot.db.metadata` differ.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, inspect
from sqlalchemy.engine import Connection

HERE = Path(__file__).parent
INITIAL = "0001"  # the schema that metadata.create_all made before there were migrations
# Every module that declares tables on bot.db.metadata (autogenerate and the tests compare them all).
TABLE_MODULES = (
    "bot.db",
    "bot.partners",
    "bot.inbox",
    "bot.plans",
    "bot.channels.dedup",
    "bot.channels.payloads",
    "bot.channels.addresses",
    "bot.console.sessions",
    "bot.console.notify",
    "bot.consular",
)


def all_tables() -> MetaData:
    """bot.db.metadata with every table of the gateway registered on it."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    from bot.db import metadata

    return metadata


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection: Connection) -> None:
    """Brings the schema to the newest revision, inside the caller's transaction.

    A database made by create_all before migrations existed (tables there, no alembic_version)
    is stamped at the initial revision first, so its data is kept and only later revisions run.
    """
    tables = set(inspect(connection).get_table_names())
    cfg = config(connection)
    if "alembic_version" not in tables and "conversations" in tables:
        command.stamp(cfg, INITIAL)
    command.upgrade(cfg, "head")
