"""The gateway's tests run on SQLite and on PostgreSQL with the same code.

PostgreSQL is the one on 127.0.0.1:5432 (trust auth) that CI machines have; where it is not
reachable, the PostgreSQL run skips and says why.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

PG_HOST = os.environ.get("PASSAGE_TEST_PG_HOST", "127.0.0.1")
PG_USER = os.environ.get("PASSAGE_TEST_PG_USER", "postgres")
PG_DATABASE = "passage_test"


async def postgres_url() -> str:
    """A clean PostgreSQL database for one test (public schema dropped and recreated)."""
    try:
        import asyncpg

        admin = await asyncpg.connect(host=PG_HOST, user=PG_USER, database="postgres", timeout=3)
    except (OSError, Exception) as error:  # asyncpg raises several unrelated classes for "not there"
        pytest.skip(f"PostgreSQL not reachable on {PG_HOST}:5432 ({type(error).__name__}); the SQLite run still covers the code")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", PG_DATABASE):
            await admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    finally:
        await admin.close()
    connection = await asyncpg.connect(host=PG_HOST, user=PG_USER, database=PG_DATABASE)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    return f"postgresql+asyncpg://{PG_USER}@{PG_HOST}/{PG_DATABASE}"


async def database_url(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    return await postgres_url()


def redis_reachable() -> bool:
    """Redis on 127.0.0.1:6379, which CI machines have; tests that need it skip elsewhere."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False
