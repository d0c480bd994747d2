"""Length-preserving text folding shared by the normaliser and the gazetteer.

People type without accents, mix Arabic and Persian letter forms and use Eastern digits; folding
those differences lets one model and one gazetteer serve them all. Every character maps to exactly
one character, so entity offsets found in folded text are valid in the original text.
"""
from __future__ import annotations

import unicodedata

_FOLD = str.maketrans(
    {
        # Arabic/Persian letter variants
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي",
        "ک": "ك", "ګ": "گ",
        "ة": "ه", "ۀ": "ه", "ە": "ه",
        "ؤ": "و", "ئ": "ي",
        # zero-width and directional marks become spaces (Persian ZWNJ separates morphemes)
        "\u200c": " ", "\u200d": " ", "\u200e": " ", "\u200f": " ", "\ufeff": " ",
        # typographic apostrophes and dashes
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "–": "-", "—": "-",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹০১২৩৪৫৬৭৮৯", "0123456789" * 3)


def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        lower = char
    if "LATIN" in unicodedata.name(lower, ""):
        base = unicodedata.normalize("NFD", lower)[0]
        return base
    return lower


def fold(text: str) -> str:
    """Lower-case, strip Latin accents, unify Arabic/Persian letters and digits; same length."""
    folded = "".join(_fold_char(c) for c in text.translate(_FOLD).translate(_DIGITS))
    assert len(folded) == len(text)
    return folded
