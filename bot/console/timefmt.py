"""Datetimes from SQLite come back naive and from PostgreSQL aware; the console treats both as UTC."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from bot.db import as_utc, utcnow


def waited(since: Optional[datetime], now: Optional[datetime] = None) -> str:
    """'4 min', '2 h 05 min', '3 d': how long someone has been waiting, at a glance."""
    start = as_utc(since)
    if start is None:
        return ""
    minutes = max(0, int(((now or utcnow()) - start).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // (24 * 60)} d"


def clock(value: Optional[datetime]) -> str:
    moment = as_utc(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""
