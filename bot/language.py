"""Decides the language of each message: never asked, always inferred.

langdetect alone fails on what Passage's users send most: two-word messages, "ok", "merci", and
Arabic, Persian or Bengali typed in Latin letters. So the decision combines, in order:
an explicit request ("parle-moi en anglais", sticky until changed), the script (Bengali; Persian-only
letters against Arabic-only ones), the conversation's previous language (a short message never flips
it), cue words for romanised text, a model learned from Passage's own training messages
(bot/language_model.py), and the channel's hint (Telegram's language_code).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from bot.language_model import LanguageModel, training_texts

LANGUAGES = ("en", "fr", "ar", "fa", "bn")
DEFAULT = "en"
SHORT = 3  # words; a message this short never flips a conversation's language within one script
logger = logging.getLogger(__name__)
CUES_FILE = Path(__file__).with_name("data") / "language_cues.yml"

_PERSIAN_ONLY = set("پچژگیکۀ")
_ARABIC_ONLY = set("ةيكىأإؤ")  # ي and ك are the Arabic code points; Persian uses ی and ک
# Word characters, including the combining vowel signs that Python's \w leaves out of Bengali words.
_WORD = re.compile(r"[\w\u0600-\u06ff\u0980-\u09ff]+(?:'\w+)?")


@dataclass(frozen=True)
class Decision:
    language: str
    explicit: bool = False  # the user asked for this language: it sticks until they ask again


@dataclass(frozen=True)
class _Cues:
    latin_words: dict[str, frozenset[str]]
    arabic_script_words: dict[str, frozenset[str]]
    language_names: dict[str, frozenset[str]]
    request_words: frozenset[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    raw = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))

    def words(items: list[str]) -> frozenset[str]:
        # YAML reads an unquoted yes/no/on as a boolean: a cue list must hold words only.
        strange = [item for item in items if not isinstance(item, str)]
        if strange:
            raise ValueError(f"{CUES_FILE.name}: quote these cue words: {strange}")
        return frozenset(_fold(item) for item in items)

    return _Cues(
        latin_words={lang: words(items) for lang, items in raw["latin_words"].items()},
        arabic_script_words={lang: words(items) for lang, items in raw["arabic_script_words"].items()},
        language_names={lang: words(items) for lang, items in raw["language_names"].items()},
        request_words=words(raw["request_words"]),
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not (unicodedata.category(c) == "Mn" and c < "\u0600"))


def _squeeze(word: str) -> str:
    """"mercii", "thanksss", "nooo" → one letter where people hold a key down for emphasis
    (tried only when the word as typed is no cue, so "good" and "bonne" stay themselves)."""
    return re.sub(r"([a-z])\1+", r"\1", word)


def _arabic_letters(word: str) -> str:
    """Persian typed on an Arabic keyboard (ي, ك) still matches the Persian cue words."""
    return word.replace("ي", "ی").replace("ك", "ک").replace("ى", "ی")


def script_of(text: str) -> Optional[str]:
    """'bengali', 'arabic', 'latin' or None (emoji, digits, punctuation only).

    Bengali or Arabic letters decide even beside more Latin ones ("bonjour خويا", "hi ভাই"):
    English and French speakers do not type those scripts, Passage's other users mix them in.
    """
    found = set()
    for char in text:
        if "\u0980" <= char <= "\u09ff":
            found.add("bengali")
        elif char.isalpha() and ("\u0600" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufefc"):
            # letters only: the presentation-form blocks also hold emoji variation selectors (U+FE0F)
            found.add("arabic")
        elif char.isalpha() and "LATIN" in unicodedata.name(char, ""):
            found.add("latin")
    return next((script for script in ("bengali", "arabic", "latin") if script in found), None)


def _script_family(lang: Optional[str]) -> Optional[str]:
    return {"bn": "bengali", "ar": "arabic", "fa": "arabic", "en": "latin", "fr": "latin"}.get(lang or "")


def explicit_request(text: str) -> Optional[str]:
    """The language a message asks to switch to, if it asks."""
    cues = _cues()
    words = [_fold(w) for w in _WORD.findall(text)]
    if not words or len(words) > 8:
        return None
    named = [lang for lang, names in cues.language_names.items() if any(w in names for w in words)]
    if len(named) != 1:
        return None
    if len(words) <= 2 or any(w in cues.request_words for w in words):
        return named[0]
    return None


def _arabic_or_persian(text: str, previous: Optional[str], hint: Optional[str]) -> str:
    words = _WORD.findall(text)
    cues = _cues().arabic_script_words
    persian_words = {_arabic_letters(w) for w in cues["fa"]}
    persian = sum(c in _PERSIAN_ONLY for c in text) + 2 * sum(_arabic_letters(w) in persian_words for w in words)
    arabic = sum(c in _ARABIC_ONLY for c in text) + 2 * sum(w in cues["ar"] for w in words)
    if persian > arabic:
        return "fa"
    if arabic > persian:
        return "ar"
    for prior in (previous, hint):
        if prior in ("ar", "fa"):
            return prior
    return _ranked_by_model(text, "arabic", ("ar", "fa"), {}) or _langdetect_best(text, ("ar", "fa")) or "ar"


@lru_cache(maxsize=4)
def _detector_factory(languages: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """A langdetect factory that knows only the languages in question (2 profiles instead of 55:
    the decision is only ever between en/fr or ar/fa here, and it is 20 times faster)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.seed = 0  # deterministic answers for the same text
    factory.load_json_profile([(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8") for lang in languages])
    return factory


def _langdetect_best(text: str, allowed: tuple[str, ...]) -> Optional[str]:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector_factory(allowed).create()
    detector.append(text)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return None
    return ranked[0].lang if ranked else None


def _cue_scores(words: list[str]) -> dict[str, float]:
    """Each cue word counts 1, shared between the languages that list it ("salam": ar, fa, bn)."""
    cues = _cues().latin_words
    scores = {lang: 0.0 for lang in LANGUAGES}
    for word in words:
        for form in dict.fromkeys((word, _squeeze(word))):
            owners = [lang for lang in LANGUAGES if form in cues[lang]]
            if owners:
                for lang in owners:
                    scores[lang] += 1 / len(owners)
                break
    return scores


def _latin(text: str, previous: Optional[str], hint: Optional[str]) -> str:
    words = [_fold(w) for w in _WORD.findall(text)]
    scores = _cue_scores(words)
    # Romanised Arabic, Persian or Bengali: their cue words, or Arabizi digits in words.
    arabizi = sum(bool(re.search(r"[a-z][2379]|[2379][a-z]", w)) for w in words)
    scores["ar"] += arabizi
    romanised = max(("ar", "fa", "bn"), key=lambda lang: (scores[lang], lang == previous, lang == hint))
    latin_best = max(scores["en"], scores["fr"])
    # Two cue words are enough in a sentence; in a message of three words or fewer, one clear
    # cue word is all there is to go on. A tie goes to the romanised language: its speakers mix in
    # English words ("passport nai", "embassy kothay"), English speakers do not write "kothay".
    needed = 2 if len(words) > SHORT else 1
    if scores[romanised] >= needed and scores[romanised] >= latin_best:
        return romanised
    if scores[romanised] and not latin_best and len(words) <= SHORT:  # "salam": theirs, not en/fr
        return romanised
    # In a short message one cue word more decides between English and French; in a sentence it
    # takes two ("il y a des medecins a Abidjan" has an English-looking "a").
    if scores["en"] != scores["fr"] and (len(words) <= SHORT or abs(scores["en"] - scores["fr"]) >= 2):
        return "en" if scores["en"] > scores["fr"] else "fr"
    # Otherwise the model learned from Passage's own training messages decides, the cue words
    # weighing in. A message of three words or fewer is too little to tell Finglish from Arabizi
    # by its letters ("ya ok", "cya"): there it only chooses between English and French.
    candidates = LANGUAGES if len(words) > SHORT else ("en", "fr")
    ranked = _ranked_by_model(text, "latin", candidates, _with_prior(scores, previous, hint))
    if ranked:
        return ranked
    for prior in (previous, hint):
        if prior in LANGUAGES:
            return prior
    return _langdetect_best(text, ("en", "fr")) or DEFAULT


@lru_cache(maxsize=2)
def _model(script: str) -> Optional[LanguageModel]:
    """The language model over the training messages written in this script (None without data)."""
    texts = _training_texts()
    if texts is None:
        return None
    in_script = {lang: [t for t in items if script_of(t) == script] for lang, items in texts.items()}
    return LanguageModel({lang: items for lang, items in in_script.items() if items}, _fold)


@lru_cache(maxsize=1)
def _training_texts() -> Optional[dict[str, list[str]]]:
    try:
        return training_texts(LANGUAGES)
    except FileNotFoundError:
        logger.warning("no NLU training data next to the gateway: language detection falls back to langdetect")
        return None


def warm_up() -> None:
    """Fits the language models now (about two seconds), so the first message does not wait for it."""
    for script in ("latin", "arabic"):
        _model(script)


def _with_prior(scores: dict[str, float], previous: Optional[str], hint: Optional[str]) -> dict[str, float]:
    """The conversation's language or the channel's hint counts like one more cue word."""
    prior = previous or hint
    return {lang: score + (lang == prior) for lang, score in scores.items()}


def _ranked_by_model(text: str, script: str, candidates: tuple[str, ...], cue_scores: dict[str, float]) -> Optional[str]:
    model = _model(script)
    if model is None:
        return None
    scores = model.log_probabilities(text)
    known = [lang for lang in candidates if lang in scores]
    if not known:
        return None
    return max(known, key=lambda lang: scores[lang] + cue_scores.get(lang, 0.0))


def detect(
    text: str,
    previous: Optional[str] = None,
    hint: Optional[str] = None,
    locked: bool = False,
) -> Decision:
    """The language to answer this message in.

    previous: the conversation's language so far; hint: the channel's (e.g. Telegram language_code);
    locked: the previous language was explicitly requested, so only a new request changes it.
    """
    previous = previous if previous in LANGUAGES else None
    hint = (hint or "").split("-")[0].lower() or None
    hint = hint if hint in LANGUAGES else None

    requested = explicit_request(text)
    if requested:
        return Decision(requested, explicit=True)
    if locked and previous:
        return Decision(previous, explicit=True)

    script = script_of(text)
    if script is None or text.lstrip().startswith("/"):  # emoji, digits, button payloads
        return Decision(previous or hint or DEFAULT)
    short = len(_WORD.findall(text)) <= SHORT
    # A short message never flips a conversation within its script, nor away from Arabic, Persian
    # or Bengali when typed in Latin letters (people switch to Arabizi, Finglish or Banglish freely).
    if previous and short and (_script_family(previous) == script or script == "latin" or len(_WORD.findall(text)) < 2):
        return Decision(previous)
    if script == "bengali":
        return Decision("bn")
    if script == "arabic":
        return Decision(_arabic_or_persian(text, previous, hint))
    return Decision(_latin(text, previous, hint))
