"""Every user-facing text exists in every language, with the same buttons, payloads and placeholders.

domain.yml: each response has one unconditioned (English) variation and one variation per language,
conditioned on the `language` slot. actions/locales and bot/locales: every key of en.yml exists in
each language's file, with the same {placeholders}.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import yaml

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ("fr", "ar", "fa", "bn")
LOCALE_DIRS = (REPO / "actions" / "locales", REPO / "bot" / "locales")
# {name} is a placeholder; {{ and }} are escaped braces (as in JSON payloads), not placeholders.
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _responses() -> dict[str, list[dict[str, Any]]]:
    return _load(REPO / "domain.yml")["responses"]


def _language_of(variation: dict[str, Any]) -> str | None:
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return str(condition.get("value"))
    return None


def _split(variations: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The unconditioned (English) variations, and the conditioned ones by language."""
    default = [v for v in variations if not v.get("condition")]
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for variation in variations:
        lang = _language_of(variation)
        if lang is not None:
            by_lang.setdefault(lang, []).append(variation)
    return default, by_lang


def _payloads(variation: dict[str, Any]) -> list[str]:
    return [str(button.get("payload")) for button in variation.get("buttons") or []]


def test_domain_has_responses() -> None:
    assert _responses(), "domain.yml has no responses"


def test_every_response_has_every_language() -> None:
    problems = []
    for name, variations in _responses().items():
        default, by_lang = _split(variations)
        if len(default) != 1:
            problems.append(f"{name}: {len(default)} unconditioned (English) variations, expected 1")
        for lang in LANGUAGES:
            count = len(by_lang.get(lang, []))
            if count != 1:
                problems.append(f"{name}: {count} variations for {lang!r}, expected 1")
        for lang, found in by_lang.items():
            for variation in found:
                if not str(variation.get("text") or "").strip():
                    problems.append(f"{name} [{lang}]: empty text")
    assert not problems, "\n".join(problems)


def test_translated_buttons_keep_english_payloads() -> None:
    problems = []
    for name, variations in _responses().items():
        default, by_lang = _split(variations)
        if len(default) != 1:
            continue  # reported by test_every_response_has_every_language
        english = _payloads(default[0])
        for lang, found in by_lang.items():
            for variation in found:
                if _payloads(variation) != english:
                    problems.append(f"{name} [{lang}]: payloads {_payloads(variation)} differ from English {english}")
                titles = [b.get("title") for b in variation.get("buttons") or []]
                if any(not str(title or "").strip() for title in titles):
                    problems.append(f"{name} [{lang}]: a button has no title")
    assert not problems, "\n".join(problems)


def test_translated_responses_keep_placeholders() -> None:
    problems = []
    for name, variations in _responses().items():
        default, by_lang = _split(variations)
        if len(default) != 1:
            continue
        english = _placeholders(str(default[0].get("text") or ""))
        for lang, found in by_lang.items():
            for variation in found:
                translated = _placeholders(str(variation.get("text") or ""))
                if translated != english:
                    problems.append(f"{name} [{lang}]: placeholders {sorted(translated)}, English has {sorted(english)}")
    assert not problems, "\n".join(problems)


def _flatten(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}{key}.")
    else:
        yield prefix[:-1], node


def test_locale_files_have_every_english_key_and_placeholder() -> None:
    problems = []
    for directory in LOCALE_DIRS:
        english = dict(_flatten(_load(directory / "en.yml")))
        for lang in LANGUAGES:
            path = directory / f"{lang}.yml"
            where = path.relative_to(REPO)
            if not path.exists():
                problems.append(f"{where}: missing")
                continue
            translated = dict(_flatten(_load(path) or {}))
            for key, text in english.items():
                if key not in translated or not str(translated[key] or "").strip():
                    problems.append(f"{where}: no text for {key!r}")
                elif _placeholders(str(translated[key])) != _placeholders(str(text)):
                    problems.append(
                        f"{where}: {key!r} has placeholders {sorted(_placeholders(str(translated[key])))},"
                        f" English has {sorted(_placeholders(str(text)))}"
                    )
            for key in translated.keys() - english.keys():
                problems.append(f"{where}: {key!r} is not in en.yml")
    assert not problems, "\n".join(problems)
