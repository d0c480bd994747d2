"""Which return programmes usually cover a situation, from the sourced criteria in hosts/programmes.yml.

Plain Python, no Rasa. The screening's answers go in; out comes, per programme of the host country,
whether a cited source names the person's situation (``covers``), whether the answers needed to tell
were skipped (``unknown``), whether the sources name other groups only (``not_listed``), or whether
no source states any criteria (``no_criteria``). Nothing here decides anything for anyone: the caller
always names the alternatives, free legal advice and a counsellor.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from .programmes import ANSWERS, Criterion, Need, Programme, Programmes

COVERS = "covers"
UNKNOWN = "unknown"
NOT_LISTED = "not_listed"
NO_CRITERIA = "no_criteria"
_ORDER = {COVERS: 0, UNKNOWN: 1, NOT_LISTED: 2, NO_CRITERIA: 3}
SKIPPED = "skipped"


@dataclass(frozen=True)
class Answers:
    """The screening's answers; None or "skipped" for a question not answered."""

    host: Optional[str] = None
    origin: Optional[str] = None
    situation: Optional[str] = None
    vulnerability: Optional[str] = None
    travel_document: Optional[str] = None
    return_decision: Optional[str] = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Optional[str]]) -> Answers:
        return cls(
            host=_given(slots.get("host_country")),
            origin=_given(slots.get("origin_country")),
            situation=_given(slots.get("situation")),
            vulnerability=_given(slots.get("vulnerability")),
            travel_document=_given(slots.get("travel_document")),
            return_decision=_given(slots.get("return_decision")),
        )

    def value(self, question: str) -> Optional[str]:
        value = getattr(self, question)
        return value if value in ANSWERS.get(question, ()) else None


def _given(value: Optional[str]) -> Optional[str]:
    return None if value in (None, "", SKIPPED) else str(value)


@dataclass(frozen=True)
class Match:
    programme: Programme
    status: str
    reasons: tuple[Criterion, ...] = ()  # the criteria the answers meet (status covers)
    needs: tuple[Need, ...] = ()


@dataclass(frozen=True)
class Screening:
    answers: Answers
    matches: list[Match] = field(default_factory=list)
    general: list[Criterion] = field(default_factory=list)  # typical AVRR groups the answers fall in

    @property
    def verified(self) -> bool:
        """True when at least one programme's cited criteria name this situation."""
        return any(m.status == COVERS for m in self.matches)

    @property
    def covering(self) -> list[Match]:
        return [m for m in self.matches if m.status == COVERS]


def _status(programme: Programme, answers: Answers) -> tuple[str, tuple[Criterion, ...]]:
    if not programme.covers:
        return NO_CRITERIA, ()
    met = tuple(c for c in programme.covers if answers.value(c.field) == c.value)
    if met:
        return COVERS, met
    if all(answers.value(c.field) is None for c in programme.covers):
        return UNKNOWN, ()
    return NOT_LISTED, ()


def evaluate(programmes: Programmes, answers: Answers) -> Screening:
    """Each programme of the host country with its status for these answers, best first."""
    general = [c for c in programmes.general if answers.value(c.field) == c.value]
    if not answers.host:
        return Screening(answers, [], general)
    own = programmes.for_host(answers.host)
    statuses = {p.id: _status(p, answers) for p in own if not p.complements}
    matches = []
    for programme in own:
        if programme.complements:
            # Only available together with another programme: it shares that programme's status.
            status, reasons = statuses.get(programme.complements, (NO_CRITERIA, ()))
            matches.append(Match(programme, status, reasons, programme.needs))
        else:
            status, reasons = statuses[programme.id]
            matches.append(Match(programme, status, reasons, programme.needs))
    matches.sort(key=lambda m: (_ORDER[m.status], own.index(m.programme)))
    return Screening(answers, matches, general)
