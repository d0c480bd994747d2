"""Cleans what users send before anything else sees it: control and invisible characters, length."""
from __future__ import annotations

import unicodedata

# Zero-width joiner/non-joiner are kept: Persian and Bengali spelling needs them.
_KEEP = {"\n", "\u200c", "\u200d"}


def clean(text: str, max_chars: int) -> tuple[str, bool]:
    """The text without control/format characters, whitespace-trimmed, cut to max_chars; and whether it was cut."""
    kept = "".join(c for c in text if c in _KEEP or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    kept = " ".join(line.strip() for line in kept.splitlines()).strip()
    if len(kept) > max_chars:
        return kept[:max_chars], True
    return kept, False
