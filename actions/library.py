"""The action server's handle on the country profiles: loaded on first use, then kept."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from actions import settings
from knowledge import Library


@lru_cache(maxsize=4)
def _load(path: Path) -> Library:
    return Library.load(path)


def library() -> Library:
    return _load(settings.profiles_dir())
