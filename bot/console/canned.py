"""Canned replies per language (bot/console/data/canned_replies.yml), checked when first read."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CANNED_FILE = Path(__file__).parent / "data" / "canned_replies.yml"


@dataclass(frozen=True)
class CannedReply:
    title: str
    text: str


@cache
def _all(path: Path = CANNED_FILE) -> dict[str, tuple[CannedReply, ...]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    table: dict[str, tuple[CannedReply, ...]] = {}
    for lang, entries in raw.items():
        if not isinstance(entries, list) or not all(isinstance(e, dict) and e.get("title") and e.get("text") for e in entries):
            raise ValueError(f"{path}: '{lang}' must be a list of entries with a title and a text")
        table[str(lang)] = tuple(CannedReply(str(e["title"]), str(e["text"]).strip()) for e in entries)
    return table


def canned_replies(lang: str | None) -> tuple[CannedReply, ...]:
    """The replies in the handoff's language; English when none are written for it yet."""
    table = _all()
    return table.get(lang or "en") or table.get("en", ())


def languages() -> list[str]:
    return sorted(_all())
