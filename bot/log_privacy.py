"""Keeps message text and channel ids out of logs, even at DEBUG level.

Some libraries log what passes through them: aiosqlite and SQLAlchemy log SQL parameters (message
text), httpx logs URLs (which carry the Telegram bot token). They are held at WARNING.
"""
from __future__ import annotations

import logging

CHATTY = ("aiosqlite", "sqlalchemy.engine", "sqlalchemy.pool", "asyncpg", "httpx", "httpcore", "telegram", "aiohttp.access", "urllib3")


def quiet_third_party_loggers() -> None:
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
