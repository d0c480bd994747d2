"""Texts the gateway sends itself, from bot/locales/<lang>.yml (English when untranslated)."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LOCALES = Path(__file__).with_name("locales")


@cache
def _table(lang: str) -> dict[str, str]:
    path = LOCALES / f"{lang}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def text(lang: str, key: str, **values: Any) -> str:
    template = _table(lang).get(key) or _table("en").get(key)
    if template is None:
        raise KeyError(f"bot/locales/en.yml has no text for {key!r}")
    return template.format(**values)
