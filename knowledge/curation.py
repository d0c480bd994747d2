"""Curation tools: validation report and coverage table (terminal, CSV, HTML)."""
from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .library import Library
from .loader import Issue, load_tree
from .model import CORROBORATED, EU_WIDE, HOST_TOPICS, TOPICS, TRANSLATION_LANGUAGES


@dataclass
class Report:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def render(self) -> str:
        lines = [str(i) for i in self.errors + self.warnings]
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)


def validate(path: Path | str, today: date | None = None) -> Report:
    """Check a profile directory. Errors fail the build; warnings are for curators."""
    loaded = load_tree(path)
    today = today or date.today()
    past_review = [
        Issue(f.file or "", f.line, "review_by", f"fact {f.id} was due for review on {f.review_by}", "warning")
        for f in loaded.facts.values()
        if today > f.review_by
    ]
    return Report(loaded.errors, loaded.warnings + past_review)


@dataclass(frozen=True)
class CoverageRow:
    country: str
    topic: str
    facts: int
    corroborated_share: float  # 0..1; 0 when there are no facts
    translation_coverage: float  # 0..1 share of (fact, language) pairs present and not outdated
    stale: int
    open_reports: int
    scope: str = "origin"  # origin, or host (host countries and EU-wide facts, hosts/)


def count_reports(reports_path: Path | str) -> dict[tuple[str, str], int]:
    """User reports per (country, topic) from a JSONL file; an absent file counts nothing."""
    counts: dict[tuple[str, str], int] = {}
    path = Path(reports_path)
    if not path.exists():
        return counts
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict):
                continue
            key = (str(record.get("country", "")).upper(), str(record.get("topic", "")))
            counts[key] = counts.get(key, 0) + 1
    return counts


def coverage(
    path: Path | str,
    today: date | None = None,
    reports_path: Path | str | None = None,
) -> list[CoverageRow]:
    """One row per country x topic, including empty topics.

    Reports are read from ``reports_path``, by default ``var/reports.jsonl`` next to
    the profile directory (i.e. at the repository root). Raises ProfileError on errors.
    """
    lib = Library.load(path)
    today = today or date.today()
    if reports_path is None:
        reports_path = Path(path).resolve().parent / "var" / "reports.jsonl"
    reports = count_reports(reports_path)
    rows = []
    pairs_to_report = [(code, topic, "origin") for code in lib.countries() for topic in TOPICS]
    hosts = lib.hosts() + ([EU_WIDE] if lib.has_eu_wide() else [])
    pairs_to_report += [(code, topic, "host") for code in hosts for topic in HOST_TOPICS]
    for code, topic, scope in pairs_to_report:
        facts = (lib.facts(code, topic, today=today) if scope == "origin"
                 else lib.host_facts(code, topic, today=today, eu_wide=False))
        n = len(facts)
        corroborated = sum(1 for f in facts if f.status == CORROBORATED)
        translated = sum(
            1
            for f in facts
            for lang in TRANSLATION_LANGUAGES
            if f.fact.translation_state(lang) not in ("missing", "outdated")
        )
        pairs = n * len(TRANSLATION_LANGUAGES)
        rows.append(
            CoverageRow(
                country=code,
                topic=topic,
                facts=n,
                corroborated_share=corroborated / n if n else 0.0,
                translation_coverage=translated / pairs if pairs else 0.0,
                stale=sum(1 for f in facts if f.is_stale),
                open_reports=reports.get((code, topic), 0),
                scope=scope,
            )
        )
    return rows


HEADERS = ("country", "topic", "facts", "corroborated %", "translated %", "stale", "reports")


def _cells(row: CoverageRow) -> tuple[str, ...]:
    return (
        row.country if row.scope == "origin" else f"{row.country} (host)",
        row.topic,
        str(row.facts),
        f"{row.corroborated_share * 100:.0f}",
        f"{row.translation_coverage * 100:.0f}",
        str(row.stale),
        str(row.open_reports),
    )


def render_table(rows: Iterable[CoverageRow]) -> str:
    cells = [HEADERS] + [_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    out = []
    for n, line in enumerate(cells):
        out.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def render_csv(rows: Iterable[CoverageRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["country", "topic", "facts", "corroborated_share", "translation_coverage",
                     "stale", "open_reports", "scope"])
    for r in rows:
        writer.writerow([r.country, r.topic, r.facts, f"{r.corroborated_share:.2f}",
                         f"{r.translation_coverage:.2f}", r.stale, r.open_reports, r.scope])
    return buffer.getvalue()


def render_html(rows: Iterable[CoverageRow], title: str = "Passage country profile coverage") -> str:
    """A self-contained page: inline style, no scripts, no external resources."""
    rows = list(rows)
    body = []
    for r in rows:
        cls = "empty" if r.facts == 0 else ("warn" if r.stale or r.open_reports else "")
        cells = "".join(f"<td>{html.escape(c)}</td>" for c in _cells(r))
        body.append(f'<tr class="{cls}">{cells}</tr>')
    head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADERS)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse}"
        "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}"
        "td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}"
        "tr.empty{color:#999}tr.warn{background:#fff3cd}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><table><thead><tr>{head}</tr></thead><tbody>"
        + "\n".join(body)
        + "</tbody></table></body></html>\n"
    )
