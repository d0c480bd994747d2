"""Return programmes in host countries and their criteria, read from hosts/programmes.yml.

Criteria are data, and each one cites the source that states it. A programme whose sources state no
criteria has an empty ``covers`` list: knowledge.eligibility then answers "no verified criteria".

Layout of hosts/programmes.yml::

    general:                       # what AVRR programmes in Europe typically cover (no one programme)
      - {field: situation, value: trafficking, sources: [{id: mpi_2021_avrr_brief, locator: Box 1}]}
    programmes:
      - id: de-reag-garp
        host: DE
        name: REAG/GARP            # as the sources name it; left out when they give no name
        run_by: [IOM]              # organisations as the sources name them (not translated)
        as_of: "2018"              # optional: the year the sources describe
        complements: other-id      # optional: only available together with that programme
        covers:                    # who a cited source says the programme is for
          - {field: situation, value: claim_refused, sources: [...]}
        needs:                     # what a cited source says a person needs or must do
          - {need: lack_of_means, sources: [...]}
        facts: [de-avrr-reag-garp] # host facts that describe it (how it works, how to apply)
        last_verified: 2026-11-22
        review_by: 2027-05-22
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .model import HOST_COUNTRIES, SourceRef

# The screening's questions and the answers a criterion may name ("skipped" is never a criterion).
ANSWERS: dict[str, tuple[str, ...]] = {
    "situation": ("asylum_pending", "claim_refused", "no_permit", "stranded", "trafficking", "other"),
    "vulnerability": ("unaccompanied_minor", "serious_illness", "none"),
    "travel_document": ("yes", "no", "expired"),
    "return_decision": ("yes", "no", "dont_know"),
}
# What a source may say a person needs or must do; each has a text in actions/locales.
NEEDS: tuple[str, ...] = (
    "lack_of_means",              # cannot pay for the journey themselves
    "travel_document",            # a valid passport or substitute travel document
    "withdraw_claim",             # withdraw a pending asylum application or give up further appeals
    "six_months_residence",       # has lived in the country for at least six months
    "in_country_when_applying",   # is in the country when applying
    "apply_soon_after_decision",  # applies within a short time after the decision
    "nationality_dependent",      # what is offered depends on nationality or the country of return
)

PROGRAMME_FIELDS = ("id", "host", "name", "run_by", "as_of", "complements", "covers", "needs", "facts",
                    "last_verified", "review_by")
PROGRAMME_REQUIRED = ("id", "host", "run_by", "covers", "needs", "last_verified", "review_by")


@dataclass(frozen=True)
class Criterion:
    field: str
    value: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Need:
    need: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Programme:
    id: str
    host: str
    name: str | None
    run_by: tuple[str, ...]
    covers: tuple[Criterion, ...]
    needs: tuple[Need, ...]
    facts: tuple[str, ...]
    last_verified: date
    review_by: date
    as_of: str | None = None
    complements: str | None = None

    @property
    def has_criteria(self) -> bool:
        return bool(self.covers)


@dataclass
class Programmes:
    """Everything in hosts/programmes.yml."""

    general: list[Criterion] = field(default_factory=list)
    items: list[Programme] = field(default_factory=list)

    def for_host(self, host: str) -> list[Programme]:
        return [p for p in self.items if p.host == host.upper()]

    def get(self, programme_id: str) -> Programme | None:
        return next((p for p in self.items if p.id == programme_id), None)


def load_programmes(path: Path, issues: list, result: Any) -> Programmes:
    """Check and load hosts/programmes.yml; problems go to ``issues`` with file, line and field."""
    from .loader import ID_PATTERN, _Checker, _item_line, _key_line

    chk = _Checker(str(path), issues)
    out = Programmes()
    data = chk.load(path)
    if data is None or not chk.mapping(data, 1, "(document)"):
        return out
    chk.keys(data, ("general", "programmes"), ("programmes",), 1, "")

    def refs(raw: Any, line: int | None, prefix: str) -> tuple[SourceRef, ...]:
        if not isinstance(raw, list) or not raw:
            chk.error(line, f"{prefix}.sources", "expected a non-empty list of source ids")
            return ()
        found = []
        for i, ref in enumerate(raw):
            rline = _item_line(raw, i, line)
            sid, loc = (ref, None) if isinstance(ref, str) else (
                (ref.get("id"), ref.get("locator")) if isinstance(ref, dict) else (None, None))
            if not isinstance(sid, str):
                chk.error(rline, f"{prefix}.sources[{i}]", "expected a source id or {id, locator}")
            elif sid not in result.declared_source_ids:
                chk.error(rline, f"{prefix}.sources[{i}]", f"unknown source id {sid!r}")
            else:
                found.append(SourceRef(sid, str(loc) if loc is not None else None))
        return tuple(found)

    def criteria(raw: Any, line: int | None, prefix: str) -> list[Criterion]:
        if not isinstance(raw, list):
            chk.error(line, prefix, "expected a list (empty when no source states any criterion)")
            return []
        found = []
        for i, item in enumerate(raw):
            iline = _item_line(raw, i, line)
            ip = f"{prefix}[{i}]"
            if not chk.mapping(item, iline, ip):
                continue
            chk.keys(item, ("field", "value", "sources"), ("field", "value", "sources"), iline, ip)
            fld, value = item.get("field"), item.get("value")
            if fld not in ANSWERS:
                chk.error(iline, f"{ip}.field", f"unknown question {fld!r} (allowed: {', '.join(ANSWERS)})")
                continue
            if value not in ANSWERS[fld]:
                chk.error(iline, f"{ip}.value", f"unknown answer {value!r} (allowed: {', '.join(ANSWERS[fld])})")
                continue
            sources = refs(item.get("sources"), iline, ip)
            if sources:
                found.append(Criterion(fld, value, sources))
        return found

    general = data.get("general")
    if general is not None:
        out.general = criteria(general, _key_line(data, "general", 1), "general")
    entries = data.get("programmes")
    if not isinstance(entries, list):
        if entries is not None:
            chk.error(_key_line(data, "programmes", 1), "programmes", "expected a list")
        return out
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        line = _item_line(entries, i, 1)
        prefix = f"programmes[{i}]"
        if not chk.mapping(entry, line, prefix):
            continue
        chk.keys(entry, PROGRAMME_FIELDS, PROGRAMME_REQUIRED, line, prefix)

        def at(key: str, entry: dict = entry, line: int | None = line) -> int | None:
            return _key_line(entry, key, line)

        pid = chk.string(entry.get("id"), at("id"), f"{prefix}.id", ID_PATTERN, "a valid id") if "id" in entry else None
        if pid in seen:
            chk.error(at("id"), f"{prefix}.id", f"duplicate programme id {pid!r}")
            pid = None
        host = entry.get("host")
        if "host" in entry and host not in HOST_COUNTRIES:
            chk.error(at("host"), f"{prefix}.host", f"{host!r} is not a host country ({', '.join(HOST_COUNTRIES)})")
            host = None
        name = entry.get("name")
        if name is not None and not chk.string(name, at("name"), f"{prefix}.name"):
            name = None
        run_by = entry.get("run_by")
        if "run_by" in entry and not (isinstance(run_by, list) and run_by and all(isinstance(r, str) and r.strip() for r in run_by)):
            chk.error(at("run_by"), f"{prefix}.run_by", "expected a non-empty list of organisation names")
            run_by = None
        covers = criteria(entry.get("covers"), at("covers"), f"{prefix}.covers") if "covers" in entry else []
        needs: list[Need] = []
        raw_needs = entry.get("needs")
        if isinstance(raw_needs, list):
            for j, item in enumerate(raw_needs):
                nline = _item_line(raw_needs, j, at("needs"))
                np_ = f"{prefix}.needs[{j}]"
                if not chk.mapping(item, nline, np_):
                    continue
                chk.keys(item, ("need", "sources"), ("need", "sources"), nline, np_)
                if item.get("need") not in NEEDS:
                    chk.error(nline, f"{np_}.need", f"unknown need {item.get('need')!r} (allowed: {', '.join(NEEDS)})")
                    continue
                sources = refs(item.get("sources"), nline, np_)
                if sources:
                    needs.append(Need(item["need"], sources))
        elif "needs" in entry:
            chk.error(at("needs"), f"{prefix}.needs", "expected a list (empty when no source states any)")
        facts = entry.get("facts") or []
        if not isinstance(facts, list):
            chk.error(at("facts"), f"{prefix}.facts", "expected a list of host fact ids")
            facts = []
        for j, fid in enumerate(facts):
            fact = result.facts.get(fid)
            if fid not in result.declared_fact_ids:
                chk.error(_item_line(facts, j, at("facts")), f"{prefix}.facts[{j}]", f"unknown fact id {fid!r}")
            elif fact is not None and (fact.scope != "host" or fact.country not in (host, "EU")):
                chk.error(_item_line(facts, j, at("facts")), f"{prefix}.facts[{j}]",
                          f"{fid!r} is not a fact of host {host}")
        last_verified = chk.day(entry["last_verified"], at("last_verified"), f"{prefix}.last_verified") \
            if entry.get("last_verified") is not None else None
        review_by = chk.day(entry["review_by"], at("review_by"), f"{prefix}.review_by") \
            if entry.get("review_by") is not None else None
        as_of = entry.get("as_of")
        if as_of is not None:
            as_of = str(as_of)
        if None in (pid, host, run_by, last_verified, review_by):
            continue
        seen.add(pid)
        out.items.append(Programme(pid, host, str(name) if name else None, tuple(run_by), tuple(covers),
                                   tuple(needs), tuple(str(f) for f in facts), last_verified, review_by,
                                   as_of, entry.get("complements")))
    for programme in out.items:
        if programme.complements and programme.complements not in seen:
            chk.error(None, f"programmes[{programme.id}].complements", f"unknown programme {programme.complements!r}")
    return out
