"""The action server's handle on the country profiles: loaded on first use, then kept."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from knowledge import Library

from actions import settings


@lru_cache(maxsize=4)
def _load(path: Path) -> Library:
    return Library.load(path)


def library() -> Library:
    return _load(settings.profiles_dir())
