"""Texts the actions compose from data (fact labels, topic names), from actions/locales/<lang>.yml.

Fixed replies live in domain.yml as responses; these files hold the pieces of answers built from
country profiles. A missing key falls back to English, so nothing is ever dropped.
"""
from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Optional

import yaml
from babel import Locale
from babel.dates import format_date
from rasa_sdk import Tracker

LANGUAGES = ("en", "fr", "ar", "fa", "bn")
LOCALES = Path(__file__).with_name("locales")


@cache
def _table(lang: str) -> dict[str, Any]:
    path = LOCALES / f"{lang}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def language_of(tracker: Tracker) -> str:
    lang = tracker.get_slot("language")
    return lang if lang in LANGUAGES else "en"


def text(lang: str, key: str, **values: Any) -> str:
    """The text for `key` in `lang` (English if untranslated), with {placeholders} filled."""
    template = _lookup(_table(lang), key) or _lookup(_table("en"), key)
    if template is None:
        raise KeyError(f"actions/locales/en.yml has no text for {key!r}")
    return str(template).format(**values)


def _lookup(table: dict[str, Any], key: str) -> Optional[Any]:
    node: Any = table
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def country_name(code: str, lang: str) -> str:
    """CLDR's name for a country in the user's language."""
    return Locale.parse(lang).territories.get(code, code)


def month(day: date, lang: str) -> str:
    """"November 2026" in the user's language and script."""
    return format_date(day, "LLLL y", locale=lang)


def list_separator(lang: str) -> str:
    """Between items of a list written on one line: the Arabic semicolon in Arabic script."""
    return "؛ " if lang in ("ar", "fa") else "; "
