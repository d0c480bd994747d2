"""Splits long replies for channels with a size limit, at sentence ends so no sentence is cut in two."""
from __future__ import annotations

import re

# A sentence: up to and including its end mark (Latin, Arabic/Persian, Bengali danda) or a line break.
_SENTENCE = re.compile(r"[^.!?؟۔।\n]*(?:[.!?؟۔।]+[\"'»”)]*\s*|\n+|$)")


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji can count as two)."""
    return len(text.encode("utf-16-le")) // 2


def _hard_split(piece: str, limit: int) -> list[str]:
    """A piece with no sentence end inside the limit: cut at spaces, or anywhere as a last resort."""
    chunks: list[str] = []
    current = ""
    for word in re.findall(r"\S+\s*", piece):
        while utf16_len(word) > limit:
            cut = limit
            while utf16_len(word[:cut]) > limit:
                cut -= 1
            if current:
                chunks.append(current)
                current = ""
            chunks.append(word[:cut])
            word = word[cut:]
        if utf16_len(current + word) > limit:
            chunks.append(current)
            current = word
        else:
            current += word
    if current:
        chunks.append(current)
    return chunks


def split_text(text: str, limit: int) -> list[str]:
    """The text in chunks of at most `limit` UTF-16 units, each ending at a sentence end where possible."""
    if utf16_len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE.findall(text) if s):
        if utf16_len(current + sentence) <= limit:
            current += sentence
            continue
        if current:
            chunks.append(current)
            current = ""
        if utf16_len(sentence) <= limit:
            current = sentence
        else:
            *full, current = _hard_split(sentence, limit)
            chunks.extend(full)
    if current:
        chunks.append(current)
    return [c.strip() for c in chunks if c.strip()]
