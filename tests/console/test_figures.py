"""Figures for supervisors: counts, reply times (median and 90th percentile), outcomes, weeks, CSV."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from bot.app_keys import GATEWAY
from bot.console.figures import compute, duration, percentile
from bot.db import handoffs, utcnow
from tests.console.helpers import chat, logged_in

NOW = datetime(2024, 5, 15, 12, 0, tzinfo=timezone.utc)  # a Wednesday


def row(status="closed", language="fr", country="SN", outcome=None, created=NOW, reply_after_s=None) -> dict:
    return {
        "status": status, "language": language, "country": country, "outcome": outcome,
        "created_at": created.replace(tzinfo=None),  # as SQLite returns it
        "first_reply_at": (created + timedelta(seconds=reply_after_s)).replace(tzinfo=None) if reply_after_s is not None else None,
    }


def test_reply_times_use_median_and_nearest_rank_90th_percentile() -> None:
    rows = [row(reply_after_s=s) for s in (60, 120, 180, 240, 600)] + [row(language="ar", country=None, reply_after_s=30), row(status="waiting")]
    figures = compute(rows, now=NOW)
    (arabic, french) = figures.by_language
    assert (french.group, french.count, french.median_s, french.p90_s) == ("fr", 5, 180, 600)
    assert (arabic.group, arabic.median_s) == ("ar", 30)
    assert [(r.group, r.count) for r in figures.by_country] == [("SN", 5), ("unknown", 1)]
    assert figures.statuses == {"waiting": 1, "claimed": 0, "closed": 6}
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9


def test_weeks_start_on_monday_and_cover_the_last_eight() -> None:
    rows = [row(created=NOW), row(created=NOW - timedelta(days=2)), row(created=NOW - timedelta(days=3)), row(created=NOW - timedelta(weeks=9))]
    weekly = compute(rows, now=NOW).weekly
    assert len(weekly) == 8
    assert weekly[-1][0].isoformat() == "2024-05-13" and weekly[-1][1] == 2  # Monday and Wednesday
    assert weekly[-2][1] == 1  # the Sunday before
    assert sum(count for _, count in weekly) == 3  # nine weeks ago is outside


def test_durations_read_easily() -> None:
    assert [duration(s) for s in (42, 200, 7500)] == ["42 s", "3 min 20 s", "2 h 05 min"]


async def _scenario(client) -> None:
    """Three handoffs: one answered after 2 minutes and closed, one answered after 10 minutes, one waiting."""
    for sender in ("a", "b", "c"):
        await chat(client, sender, "I want a counsellor")
    engine = client.app[GATEWAY].store.engine
    start = utcnow() - timedelta(hours=1)
    async with engine.begin() as connection:
        await connection.execute(update(handoffs).where(handoffs.c.id == 1).values(
            status="closed", outcome="referred_legal_aid", country="SN", created_at=start, first_reply_at=start + timedelta(minutes=2), closed_at=start + timedelta(minutes=30)))
        await connection.execute(update(handoffs).where(handoffs.c.id == 2).values(
            status="claimed", country="ML", created_at=start, first_reply_at=start + timedelta(minutes=10)))


async def test_the_figures_page_shows_the_numbers(client) -> None:
    await _scenario(client)
    await logged_in(client, "boss", ["en"], role="supervisor")
    html = await (await client.get("/console/figures")).text()
    statuses = html[html.index('id="statuses"') : html.index("</table>", html.index('id="statuses"'))]
    assert [int(n) for n in __import__("re").findall(r"<td[^>]*>(\d+)</td>", statuses)] == [1, 1, 1]
    assert "6 min 00 s" in html  # median of 2 and 10 minutes, for English
    assert "10 min 00 s" in html  # 90th percentile
    assert "<th>referred legal aid</th><td>1</td>" in html
    assert '<img src="/console/figures/weekly.svg"' in html


async def test_the_csv_export_has_the_same_numbers(client) -> None:
    await _scenario(client)
    await logged_in(client, "admin", [], role="admin")
    response = await client.get("/console/figures.csv")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = {(r["metric"], r["group"]): r["value"] for r in csv.DictReader(io.StringIO(await response.text()))}
    assert rows[("handoffs", "waiting")] == "1" and rows[("handoffs", "closed")] == "1"
    assert rows[("first_reply_median_s_by_language", "en")] == "360"
    assert rows[("first_reply_p90_s_by_language", "en")] == "600"
    assert rows[("first_reply_median_s_by_country", "SN")] == "120"
    assert rows[("outcome", "referred_legal_aid")] == "1"
    assert sum(int(v) for (metric, _), v in rows.items() if metric == "handoffs_per_week") == 3


async def test_the_weekly_chart_is_an_svg_drawn_on_the_server(client) -> None:
    await _scenario(client)
    await logged_in(client, "boss", ["en"], role="supervisor")
    response = await client.get("/console/figures/weekly.svg")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    body = await response.text()
    assert body.lstrip().startswith("<?xml") and "<svg" in body
