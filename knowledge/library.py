"""Read-only access to the country profiles for the action server."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .loader import LoadResult, ProfileError, load_tree
from .model import EU_WIDE, HOST_TOPICS, TOPICS, AssessedFact, Fact, Source
from .programmes import Programmes
from .triangulation import Rules, assess, sort_key


class Library:
    """Facts, sources and their triangulation. Build with :meth:`Library.load`."""

    def __init__(self, loaded: LoadResult):
        self._loaded = loaded
        self._conflicts: dict[str, set[str]] = {}
        for fact in loaded.facts.values():
            for other in fact.conflicts_with:
                if other in loaded.facts:
                    self._conflicts.setdefault(fact.id, set()).add(other)
                    self._conflicts.setdefault(other, set()).add(fact.id)

    @classmethod
    def load(cls, path: Path | str) -> Library:
        """Load a profile directory; raise ProfileError listing every located error."""
        loaded = load_tree(path)
        if loaded.errors:
            raise ProfileError(loaded.errors)
        return cls(loaded)

    @property
    def rules(self) -> Rules:
        return self._loaded.rules

    def countries(self) -> list[str]:
        return sorted(self._loaded.profiles)

    def has_profile(self, code: str) -> bool:
        return code.upper() in self._loaded.profiles

    def country_name(self, code: str, lang: str = "en") -> str | None:
        profile = self._loaded.profiles.get(code.upper())
        if profile is None:
            return None
        return profile.names.get(lang) or profile.names.get("en")

    def hosts(self) -> list[str]:
        """Host countries with a profile (EU-wide facts are not a host of their own)."""
        return sorted(code for code in self._loaded.hosts if code != EU_WIDE)

    def has_eu_wide(self) -> bool:
        """Whether hosts/EU.yml (facts for every host country) exists."""
        return EU_WIDE in self._loaded.hosts

    def has_host(self, code: str) -> bool:
        return code.upper() in self._loaded.hosts and code.upper() != EU_WIDE

    def host_facts(self, code: str, topic: str, today: date | None = None,
                   eu_wide: bool = True) -> list[AssessedFact]:
        """A host country's facts on a host topic, then the EU-wide ones, each group best first."""
        if topic not in HOST_TOPICS:
            raise ValueError(f"unknown host topic {topic!r}")
        today = today or date.today()
        scopes = [code.upper(), EU_WIDE] if eu_wide else [code.upper()]
        found = []
        for scope in scopes:
            group = [self._assess(f, today) for f in self._loaded.facts.values()
                     if f.scope == "host" and f.country == scope and f.topic == topic]
            found += sorted(group, key=lambda a: sort_key(a.status, a.flags, a.last_verified, a.id))
        return found

    def programmes(self) -> Programmes:
        """Return programmes and their sourced criteria (hosts/programmes.yml)."""
        return self._loaded.programmes or Programmes()

    def topics(self, code: str) -> list[str]:
        """Topics with at least one fact, in the canonical topic order."""
        present = {f.topic for f in self._loaded.facts.values() if f.country == code.upper() and f.scope == "origin"}
        return [t for t in TOPICS if t in present]

    def facts(self, code: str, topic: str, today: date | None = None) -> list[AssessedFact]:
        """Facts on a topic, best first (see triangulation.sort_key)."""
        if topic not in TOPICS:
            raise ValueError(f"unknown topic {topic!r}")
        today = today or date.today()
        found = [self._assess(f, today) for f in self._loaded.facts.values()
                 if f.country == code.upper() and f.topic == topic and f.scope == "origin"]
        return sorted(found, key=lambda a: sort_key(a.status, a.flags, a.last_verified, a.id))

    def all_facts(self, today: date | None = None) -> list[AssessedFact]:
        today = today or date.today()
        return [self._assess(f, today) for f in self._loaded.facts.values()]

    def fact(self, fact_id: str, today: date | None = None) -> AssessedFact | None:
        raw = self._loaded.facts.get(fact_id)
        return self._assess(raw, today or date.today()) if raw else None

    def source(self, source_id: str) -> Source:
        """The registered source; KeyError if unknown."""
        return self._loaded.sources[source_id]

    def sources(self) -> list[Source]:
        return sorted(self._loaded.sources.values(), key=lambda s: s.id)

    def _assess(self, fact: Fact, today: date, expand: bool = True) -> AssessedFact:
        sources = [self._loaded.sources[r.id] for r in fact.source_refs]
        others = sorted(self._conflicts.get(fact.id, ()))
        status, flags = assess(sources, fact.review_by, today, bool(others), self._loaded.rules)
        conflicts = [self._assess(self._loaded.facts[o], today, expand=False) for o in others] if expand else []
        return AssessedFact(
            id=fact.id,
            country=fact.country,
            topic=fact.topic,
            status=status,
            flags=flags,
            sources=sources,
            source_refs=list(fact.source_refs),
            last_verified=fact.last_verified,
            review_by=fact.review_by,
            region=fact.region,
            conflicts=conflicts,
            fact=fact,
        )
