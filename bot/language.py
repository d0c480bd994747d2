"""Decides the language of each message: never asked, always inferred.

langdetect alone fails on what Passage's users send most: two-word messages, "ok", "merci", and
Arabic, Persian or Bengali typed in Latin letters. So the decision combines, in order:
an explicit request ("parle-moi en anglais", sticky until changed), the script (Bengali; Persian-only
letters against Arabic-only ones), the conversation's previous language (a short message never flips
it), cue words for romanised text (in a message of three words or fewer the model counts as one when
it is sure of Arabic, Persian or Bengali: "nemikham"), then between English and French: cue words,
French spellings ("sénégal", "l'arv") and a country's name as only one of them spells it ("ethiopie",
from CLDR); then a model learned from Passage's own training messages (bot/language_model.py), and
the channel's hint (Telegram's language_code).
"""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from bot.language_model import LanguageModel, training_texts

LANGUAGES = ("en", "fr", "ar", "fa", "bn")
DEFAULT = "en"
SHORT = 3  # words; a message this short never flips a conversation's language within one script
# Log-odds by which the model must prefer Arabic, Persian or Bengali to English and French before
# that counts in a short message. Naive Bayes odds are overconfident (each letter is in several
# n-grams): "ya ok" is at 18, "privacy policy" at 31, "nemikham" and "kodum film khube" above 100.
SURE_MARGIN = 50.0
DATA_WORD_MIN = 2
logger = logging.getLogger(__name__)
CUES_FILE = Path(__file__).with_name("data") / "language_cues.yml"

_PERSIAN_ONLY = set("پچژگیکۀ")
_ARABIC_ONLY = set("ةيكىأإؤ")  # ي and ك are the Arabic code points; Persian uses ی and ک
# Word characters, including the combining vowel signs that Python's \w leaves out of Bengali words;
# phones often type the apostrophe as ’ ("j’ai").
_WORD = re.compile(r"[\w\u0600-\u06ff\u0980-\u09ff]+(?:['’]\w+)?")
# Written the French way: accents English does not use, and elided articles and pronouns (l', d', j', qu').
_FRENCH_LETTERS = frozenset("éèêëàâçùûôîïœ")
_FRENCH_ELISION = re.compile(r"(?:[cdjlmnst]|qu)'\w")


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
    decomposed = unicodedata.normalize("NFD", text.lower().replace("’", "'"))
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
    return _ranked(_likelihood(text, "arabic"), ("ar", "fa"), {}) or _langdetect_best(text, ("ar", "fa")) or "ar"


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


def _french_spellings(raw_words: list[str], words: list[str]) -> int:
    """Words no cue list holds that are spelt the French way ("sénégal", "l'arv", "c'est").

    This tells French from English only: Darija and Banglish borrow French words as they are spelt.
    """
    found = 0
    cues = _all_latin_cues()
    for raw, word in zip(raw_words, words):
        if word in cues or _squeeze(word) in cues:
            continue
        found += bool(_FRENCH_LETTERS.intersection(raw.lower()) or _FRENCH_ELISION.match(word))
    return found


@lru_cache(maxsize=1)
def _all_latin_cues() -> frozenset[str]:
    return frozenset().union(*_cues().latin_words.values())


@lru_cache(maxsize=1)
def _words_of_one_language() -> dict[str, str]:
    """Words Passage's training messages use at least DATA_WORD_MIN times in English or in French
    and never in any other language ("recommend", "consular"; "allez"): in a short message the
    model's letter n-grams can outvote such a word ("recommend" has French-looking "omme").
    Cue words are left out: they count already."""
    texts = _texts_in_script("latin") or {}
    cues = _all_latin_cues()
    counts = {lang: Counter(_fold(w) for t in texts.get(lang, []) for w in _WORD.findall(t)) for lang in LANGUAGES}
    return {
        word: lang
        for lang in ("en", "fr")
        for word, n in counts[lang].items()
        if n >= DATA_WORD_MIN
        and len(word) >= 3
        and word not in cues
        and not any(counts[other][word] for other in LANGUAGES if other != lang)
    }


@lru_cache(maxsize=1)
def _country_name_language() -> dict[str, str]:
    """Country names CLDR spells one way in English and another in French: "ethiopie" and
    "tchad" are French, "ethiopia" and "chad" English; "mali" or "iran" is both and tells nothing."""
    from babel import Locale

    found: dict[str, set[str]] = {}
    for lang in ("en", "fr"):
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                found.setdefault(" ".join(_fold(w) for w in _WORD.findall(name)), set()).add(lang)
    return {name: langs.pop() for name, langs in found.items() if len(langs) == 1}


def _latin(text: str, previous: Optional[str], hint: Optional[str]) -> str:
    raw_words = _WORD.findall(text)
    words = [_fold(w) for w in raw_words]
    scores = _cue_scores(words)
    # Romanised Arabic, Persian or Bengali: their cue words, or Arabizi digits in words.
    arabizi = sum(bool(re.search(r"[a-z][2379]|[2379][a-z]", w)) for w in words)
    scores["ar"] += arabizi
    likelihood = _likelihood(text, "latin")
    short = len(words) <= SHORT
    # In a short message the model's letters alone are weak evidence ("ya ok", "cya" look like
    # Arabizi); only when it is sure of a romanised language does that count, as one cue word.
    sure = _sure_romanised(likelihood) if short else None
    if sure:
        scores[sure] += 1
    # Ties between the three go to the conversation, the channel's hint, then the model ("salaam").
    romanised = max(
        ("ar", "fa", "bn"),
        key=lambda lang: (scores[lang], lang == previous, lang == hint, likelihood.get(lang, -math.inf)),
    )
    latin_best = max(scores["en"], scores["fr"])
    # Two cue words are enough in a sentence; in a message of three words or fewer, one clear
    # cue word is all there is to go on. A tie goes to the romanised language: its speakers mix in
    # English words ("passport nai", "embassy kothay"), English speakers do not write "kothay".
    needed = 1 if short else 2
    if scores[romanised] >= needed and scores[romanised] >= latin_best:
        return romanised
    if scores[romanised] and not latin_best and short:  # "salam": theirs, not en/fr
        return romanised
    # In a short message one cue word more decides between English and French; in a sentence it
    # takes two ("il y a des medecins a Abidjan" has an English-looking "a"). In a short message a
    # word spelt the French way counts as a French cue word, and so does a message that is only a
    # country's name as one of the two languages spells it ("ethiopie", "tchad"; "ethiopia", "chad").
    # Not in a sentence: there Darija's French words ("titre de séjour kifach nakhdo") would add up.
    if short:
        scores["fr"] += _french_spellings(raw_words, words)
        spelt = _country_name_language().get(" ".join(words))
        if spelt:
            scores[spelt] += 1
        for word in words:
            owner = _words_of_one_language().get(word)
            if owner:
                scores[owner] += 1
    if scores["en"] != scores["fr"] and (short or abs(scores["en"] - scores["fr"]) >= 2):
        return "en" if scores["en"] > scores["fr"] else "fr"
    # Otherwise the model learned from Passage's own training messages decides, the cue words
    # weighing in. A message of three words or fewer is too little to tell Finglish from Arabizi
    # by its letters unless the model was sure (above): there it only chooses between English and French.
    candidates = LANGUAGES if not short else ("en", "fr")
    ranked = _ranked(likelihood, candidates, _with_prior(scores, previous, hint))
    if ranked:
        return ranked
    for prior in (previous, hint):
        if prior in LANGUAGES:
            return prior
    return _langdetect_best(text, ("en", "fr")) or DEFAULT


def _sure_romanised(likelihood: dict[str, float]) -> Optional[str]:
    """Arabic, Persian or Bengali when the model prefers it to English and French by SURE_MARGIN.

    In a message of three words or fewer that counts as one cue word for it ("nemikham",
    "kodum film khube"); below the margin the model's letters are no evidence ("ya ok", "okk").
    """
    if not likelihood:
        return None
    best = max(("ar", "fa", "bn"), key=lambda lang: likelihood.get(lang, -math.inf))
    latin = max(likelihood.get("en", -math.inf), likelihood.get("fr", -math.inf))
    return best if likelihood.get(best, -math.inf) - latin >= SURE_MARGIN else None


@lru_cache(maxsize=2)
def _texts_in_script(script: str) -> Optional[dict[str, list[str]]]:
    """Each language's training messages written in this script (None without training data)."""
    texts = _training_texts()
    if texts is None:
        return None
    return {lang: [t for t in items if script_of(t) == script] for lang, items in texts.items()}


@lru_cache(maxsize=2)
def _model(script: str) -> Optional[LanguageModel]:
    """The language model over the training messages written in this script (None without data)."""
    in_script = _texts_in_script(script)
    if in_script is None:
        return None
    return LanguageModel({lang: items for lang, items in in_script.items() if items}, _fold)


@lru_cache(maxsize=1)
def _training_texts() -> Optional[dict[str, list[str]]]:
    try:
        return training_texts(LANGUAGES)
    except FileNotFoundError:
        logger.warning("no NLU training data next to the gateway: language detection falls back to langdetect")
        return None


def warm_up() -> None:
    """Fits the language models and reads the cue words and CLDR's country names now (about two
    seconds), so the first message does not wait for them."""
    for script in ("latin", "arabic"):
        _model(script)
    _all_latin_cues()
    _country_name_language()
    _words_of_one_language()


def _with_prior(scores: dict[str, float], previous: Optional[str], hint: Optional[str]) -> dict[str, float]:
    """The conversation's language or the channel's hint counts like one more cue word."""
    prior = previous or hint
    return {lang: score + (lang == prior) for lang, score in scores.items()}


def _likelihood(text: str, script: str) -> dict[str, float]:
    """The model's log probability of each language written in this script ({} without training data)."""
    model = _model(script)
    return model.log_probabilities(text) if model else {}


def _ranked(likelihood: dict[str, float], candidates: tuple[str, ...], cue_scores: dict[str, float]) -> Optional[str]:
    known = [lang for lang in candidates if lang in likelihood]
    if not known:
        return None
    return max(known, key=lambda lang: likelihood[lang] + cue_scores.get(lang, 0.0))


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
