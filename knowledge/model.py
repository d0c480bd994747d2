"""Plain data types for country profiles: sources, facts and assessed facts."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

TOPICS: tuple[str, ...] = (
    "security",
    "health",
    "jobs",
    "housing",
    "education",
    "documents",
    "reintegration",
    "reception",
    "consular_contacts",
    "programmes",
)
# Topics of a host-country profile (country_profiles/hosts/<CC>.yml): what a person with a refused
# claim or without a residence permit can do where they live.
HOST_TOPICS: tuple[str, ...] = (
    "appeal",            # challenging a decision; deadlines
    "other_grounds",     # other grounds to stay
    "avrr",              # assisted voluntary return and reintegration programmes, who runs them
    "how_to_apply",      # how to apply for them
    "return_decision",   # what a return decision means and what happens if it is not followed
    "legal_aid",         # free legal advice
    "emergency",         # emergency numbers
)
# The host countries Passage covers. EU.yml holds facts that apply in all of them.
HOST_COUNTRIES: tuple[str, ...] = ("DE", "FR", "BE", "NL", "IT", "ES", "AT", "SE")
EU_WIDE = "EU"
LANGUAGES: tuple[str, ...] = ("en", "fr", "ar", "fa", "bn")
TRANSLATION_LANGUAGES: tuple[str, ...] = LANGUAGES[1:]
SOURCE_KINDS: tuple[str, ...] = (
    "origin_government",
    "destination_government",
    "international_organisation",
    "ngo_civil_society",
    "diaspora_organisation",
    "returnee_network",
    "research",
    "media",
)
# States a curator may write in a profile; "outdated" and "missing" are derived.
STORED_TRANSLATION_STATES: tuple[str, ...] = ("current", "machine_translated")
TRANSLATION_STATES: tuple[str, ...] = ("current", "outdated", "machine_translated", "missing")

# Triangulation statuses. ``status`` is one of EVIDENCE_STATUSES; flags are WARNING_FLAGS.
CORROBORATED = "corroborated"
SINGLE_SOURCE = "single_source"
OFFICIAL_ONLY = "official_only"
CONTESTED = "contested"
STALE = "stale"
EVIDENCE_STATUSES: tuple[str, ...] = (CORROBORATED, SINGLE_SOURCE, OFFICIAL_ONLY)
WARNING_FLAGS: tuple[str, ...] = (CONTESTED, STALE)


def english_hash(text: str) -> str:
    """Short hash of an English text, insensitive to whitespace reflow.

    A translation stores the hash of the English text it was made from; when the
    English changes, the hashes differ and the translation is *outdated*.
    """
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    kind: str
    published: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD", as precise as the citation
    language: str | None = None
    url: str | None = None
    known_through: str | None = None
    accessed: date | None = None  # for web pages cited by access date
    author: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SourceRef:
    id: str
    locator: str | None = None


@dataclass(frozen=True)
class Translation:
    text: str
    state: str  # stored state: current | machine_translated
    en_hash: str


@dataclass(frozen=True)
class Contact:
    """A consulate's e-mail address, sourced on its own: a referral is only ever sent to one of these."""

    email: str
    source_refs: list[SourceRef]
    host: str | None = None  # the host country this consulate serves; None: any


@dataclass(frozen=True)
class Fact:
    id: str
    country: str
    topic: str
    en: str
    translations: dict[str, Translation]
    source_refs: list[SourceRef]
    last_verified: date
    review_by: date
    region: str | None = None
    conflicts_with: list[str] = field(default_factory=list)
    file: str | None = None
    line: int | None = None
    scope: str = "origin"  # origin (a country of origin) or host (a host country, or EU for all of them)
    contact: Contact | None = None  # consular_contacts facts only

    def translation_state(self, lang: str) -> str:
        """Derived state of the translation into ``lang`` (see TRANSLATION_STATES)."""
        if lang == "en":
            return "current"
        tr = self.translations.get(lang)
        if tr is None:
            return "missing"
        if tr.en_hash != english_hash(self.en):
            return "outdated"
        return tr.state

    def text(self, lang: str) -> tuple[str, str]:
        """Text in ``lang`` and its state; English (state ``missing``) when absent.

        An outdated translation is returned with state ``outdated``: the caller
        decides whether to show it with a notice or to use the English text.
        """
        state = self.translation_state(lang)
        if state == "missing":
            return self.en, "missing"
        if lang == "en":
            return self.en, "current"
        return self.translations[lang].text, state


@dataclass(frozen=True)
class AssessedFact:
    """A fact with its triangulation computed for a given day.

    ``status`` is the evidence status (corroborated, single_source or
    official_only); ``flags`` holds the warnings that apply in addition
    (contested, stale). ``statuses`` is both together.
    """

    id: str
    country: str
    topic: str
    status: str
    flags: list[str]
    sources: list[Source]
    source_refs: list[SourceRef]
    last_verified: date
    review_by: date
    region: str | None
    conflicts: list[AssessedFact]  # the other side; their own conflicts are not expanded
    fact: Fact

    @property
    def statuses(self) -> list[str]:
        return [self.status, *self.flags]

    @property
    def headline(self) -> str:
        """One badge for the fact: stale > contested > evidence status."""
        for flag in (STALE, CONTESTED):
            if flag in self.flags:
                return flag
        return self.status

    @property
    def is_stale(self) -> bool:
        return STALE in self.flags

    @property
    def is_contested(self) -> bool:
        return CONTESTED in self.flags

    def text(self, lang: str) -> tuple[str, str]:
        return self.fact.text(lang)
