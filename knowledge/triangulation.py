"""Triangulation rules: how much to trust a fact, computed from its sources.

A fact gets one *evidence status* and zero or more *flags*:

* ``official_only``  every supporting source has an "official" kind
  (``official_kinds``, by default origin_government only). Checked first, so one
  origin-government source is ``official_only``, not ``single_source``.
* ``corroborated``   sources from at least ``min_independent_kinds`` independent
  lines of evidence with pairwise different kinds, at least one of which is not a
  government kind (``government_kinds``).
* ``single_source``  anything else: one source, several sources of the same kind,
  or independent sources that are all governments.

Flags, shown in addition to the evidence status:

* ``contested``  a linked fact disagrees (the link may be on either side).
* ``stale``      today is after the review-by date (on the review-by date itself
  the fact is not yet stale).

Independence: a source and the source it is known through (``known_through``)
are independent of each other; two sources both known through the same parent
are one line of evidence, not two.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations, product

from .model import (
    CONTESTED,
    CORROBORATED,
    OFFICIAL_ONLY,
    SINGLE_SOURCE,
    STALE,
    Source,
)


@dataclass(frozen=True)
class Rules:
    min_independent_kinds: int = 2
    government_kinds: frozenset[str] = frozenset({"origin_government", "destination_government"})
    official_kinds: frozenset[str] = frozenset({"origin_government"})


DEFAULT_RULES = Rules()


def independence_key(source: Source) -> str:
    """Sources sharing a key are one line of evidence."""
    if source.known_through:
        return f"via:{source.known_through}"
    return f"self:{source.id}"


def _lines_of_evidence(sources: Iterable[Source]) -> list[frozenset[str]]:
    """The set of kinds offered by each independent line of evidence."""
    groups: dict[str, set] = {}
    seen = set()
    for src in sources:
        if src.id in seen:
            continue
        seen.add(src.id)
        groups.setdefault(independence_key(src), set()).add(src.kind)
    return [frozenset(kinds) for kinds in groups.values()]


def is_corroborated(sources: Sequence[Source], rules: Rules = DEFAULT_RULES) -> bool:
    lines = _lines_of_evidence(sources)
    need = rules.min_independent_kinds
    if len(lines) < need:
        return False
    for chosen in combinations(lines, need):
        for kinds in product(*chosen):
            if len(set(kinds)) == need and any(k not in rules.government_kinds for k in kinds):
                return True
    return False


def evidence_status(sources: Sequence[Source], rules: Rules = DEFAULT_RULES) -> str:
    if not sources:
        raise ValueError("a fact needs at least one source")
    if all(src.kind in rules.official_kinds for src in sources):
        return OFFICIAL_ONLY
    if is_corroborated(sources, rules):
        return CORROBORATED
    return SINGLE_SOURCE


def is_stale(review_by: date, today: date) -> bool:
    """Stale strictly after the review-by date."""
    return today > review_by


def assess(
    sources: Sequence[Source],
    review_by: date,
    today: date,
    contested: bool = False,
    rules: Rules = DEFAULT_RULES,
) -> tuple[str, list[str]]:
    """Evidence status and flags for one fact."""
    flags = []
    if contested:
        flags.append(CONTESTED)
    if is_stale(review_by, today):
        flags.append(STALE)
    return evidence_status(sources, rules), flags


STATUS_RANK = {CORROBORATED: 0, SINGLE_SOURCE: 1, OFFICIAL_ONLY: 2}


def sort_key(status: str, flags: Sequence[str], last_verified: date, fact_id: str):
    """Best first: fresh before stale, then by evidence, then newest verification."""
    return (STALE in flags, STATUS_RANK[status], -last_verified.toordinal(), fact_id)
