"""Country profiles: curated, sourced and triangulated facts for the assistant.

Plain Python, no Rasa imports, nothing read at import time::

    from knowledge import Library
    lib = Library.load("country_profiles")
    for fact in lib.facts("SN", "reintegration"):
        text, state = fact.text("fr")
"""
from .library import Library
from .loader import Issue, ProfileError
from .model import (
    CONTESTED,
    CORROBORATED,
    LANGUAGES,
    OFFICIAL_ONLY,
    SINGLE_SOURCE,
    SOURCE_KINDS,
    STALE,
    TOPICS,
    AssessedFact,
    Fact,
    Source,
    SourceRef,
    english_hash,
)

__all__ = [
    "CONTESTED",
    "CORROBORATED",
    "LANGUAGES",
    "OFFICIAL_ONLY",
    "SINGLE_SOURCE",
    "SOURCE_KINDS",
    "STALE",
    "TOPICS",
    "AssessedFact",
    "Fact",
    "Issue",
    "Library",
    "ProfileError",
    "Source",
    "SourceRef",
    "english_hash",
]
