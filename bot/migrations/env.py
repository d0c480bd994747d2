"""Alembic environment: always online, on the connection `bot.migrations.upgrade` passes in."""
from __future__ import annotations

from alembic import context

from bot.migrations import all_tables

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through bot.migrations.upgrade (python -m bot migrate), not the alembic command")
# render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
context.configure(connection=connection, target_metadata=all_tables(), render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
