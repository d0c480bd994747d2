"""Figures for supervisors: the queue now, how fast people get a human reply, outcomes, weekly load.

Only counts and durations leave this module: no message text and no conversation ids, so the page
and its CSV can be shared with funders as they are.
"""
from __future__ import annotations

import csv
import io
import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import as_utc, handoffs, utcnow
from bot.handoff import OUTCOMES

WEEKS = 8
STATUSES = ("waiting", "claimed", "closed")


@dataclass(frozen=True)
class ReplyTimes:
    group: str
    count: int
    median_s: float
    p90_s: float


@dataclass
class Figures:
    statuses: dict[str, int] = field(default_factory=dict)
    by_language: list[ReplyTimes] = field(default_factory=list)
    by_country: list[ReplyTimes] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    weekly: list[tuple[date, int]] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: always a time someone actually waited, even with few handoffs."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def week_start(moment: datetime) -> date:
    return (moment - timedelta(days=moment.weekday())).date()


def _reply_times(rows: Iterable[dict[str, Any]], key: str) -> list[ReplyTimes]:
    waits: dict[str, list[float]] = {}
    for row in rows:
        if row["first_reply_at"] is None:
            continue
        seconds = (as_utc(row["first_reply_at"]) - as_utc(row["created_at"])).total_seconds()  # type: ignore[operator]
        waits.setdefault(row[key] or "unknown", []).append(max(0.0, seconds))
    return [ReplyTimes(group, len(v), statistics.median(v), percentile(v, 0.9)) for group, v in sorted(waits.items())]


def compute(rows: list[dict[str, Any]], now: Optional[datetime] = None) -> Figures:
    now = now or utcnow()
    figures = Figures()
    figures.statuses = {status: sum(1 for r in rows if r["status"] == status) for status in STATUSES}
    figures.by_language = _reply_times(rows, "language")
    figures.by_country = _reply_times(rows, "country")
    figures.outcomes = {outcome: sum(1 for r in rows if r["outcome"] == outcome) for outcome in OUTCOMES}
    current = week_start(now)
    weeks = [current - timedelta(weeks=n) for n in reversed(range(WEEKS))]
    counts = {week: 0 for week in weeks}
    for row in rows:
        week = week_start(as_utc(row["created_at"]))  # type: ignore[arg-type]
        if week in counts:
            counts[week] += 1
    figures.weekly = [(week, counts[week]) for week in weeks]
    return figures


async def load(engine: AsyncEngine, now: Optional[datetime] = None) -> Figures:
    columns = (handoffs.c.status, handoffs.c.language, handoffs.c.country, handoffs.c.outcome, handoffs.c.created_at, handoffs.c.first_reply_at)
    async with engine.connect() as connection:
        rows = [dict(r._mapping) for r in await connection.execute(select(*columns))]
    return compute(rows, now)


def duration(seconds: float) -> str:
    """'45 s', '3 min 20 s', '2 h 05 min'."""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {(whole % 3600) // 60:02d} min"


def to_csv(figures: Figures) -> str:
    """Long format (metric, group, value): one file that any spreadsheet can pivot."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["metric", "group", "value"])
    for status, count in figures.statuses.items():
        writer.writerow(["handoffs", status, count])
    for dimension, times in (("language", figures.by_language), ("country", figures.by_country)):
        for item in times:
            writer.writerow([f"first_reply_count_by_{dimension}", item.group, item.count])
            writer.writerow([f"first_reply_median_s_by_{dimension}", item.group, round(item.median_s)])
            writer.writerow([f"first_reply_p90_s_by_{dimension}", item.group, round(item.p90_s)])
    for outcome, count in figures.outcomes.items():
        writer.writerow(["outcome", outcome, count])
    for week, count in figures.weekly:
        writer.writerow(["handoffs_per_week", week.isoformat(), count])
    return out.getvalue()
