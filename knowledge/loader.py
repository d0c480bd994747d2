"""Read and check the profile directory, reporting every problem with file, line and field.

Layout of a profile directory::

    sources.yml          source registry
    triangulation.yml    triangulation thresholds (optional; defaults apply)
    <CC>.yml             one profile per origin country, CC = ISO 3166-1 alpha-2
                         (XK for Kosovo, the code in common use)
    hosts/<CC>.yml       one profile per host country (HOST_COUNTRIES), same schema with the
                         host topics (HOST_TOPICS); hosts/EU.yml holds facts for all of them
    hosts/programmes.yml return programmes and their sourced criteria (knowledge/programmes.py)

The checks are written out by hand rather than with pydantic so that every
message names the YAML field path and line exactly, whatever pydantic major
version the environment carries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .model import (
    EU_WIDE,
    HOST_COUNTRIES,
    HOST_TOPICS,
    LANGUAGES,
    SOURCE_KINDS,
    STORED_TRANSLATION_STATES,
    TOPICS,
    TRANSLATION_LANGUAGES,
    Contact,
    Fact,
    Source,
    SourceRef,
    Translation,
)
from .triangulation import Rules

SOURCES_FILE = "sources.yml"
HOSTS_DIR = "hosts"
PROGRAMMES_FILE = "programmes.yml"
RULES_FILE = "triangulation.yml"
PROFILE_NAME = re.compile(r"^[A-Z]{2}$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
HASH_PATTERN = re.compile(r"^[0-9a-f]{8}$")
PUBLISHED_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
LANG_CODE = re.compile(r"^[a-z]{2,3}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
CONTACT_TOPIC = "consular_contacts"


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    field: str
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.field}: {self.message}"


class ProfileError(Exception):
    """Raised by Library.load when the profiles have errors; ``errors`` lists them."""

    def __init__(self, errors: list[Issue]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Profile:
    code: str
    names: dict[str, str]
    file: str


@dataclass
class LoadResult:
    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    rules: Rules = field(default_factory=Rules)
    profiles: dict[str, Profile] = field(default_factory=dict)
    hosts: dict[str, Profile] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)  # origin and host facts; ids are unique across both
    programmes: list = field(default_factory=list)  # knowledge.programmes.Programme
    issues: list[Issue] = field(default_factory=list)
    # ids written in the files, valid or not, so one broken entry does not also
    # make every reference to it an "unknown id" error
    declared_source_ids: set = field(default_factory=set)
    declared_fact_ids: set = field(default_factory=set)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


# --- YAML with positions -------------------------------------------------------------


def _yaml():
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class _Constructor(RoundTripConstructor):
        """Round-trip constructor that leaves dates as strings; we parse them ourselves."""

    _Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    return yaml


def _key_line(mapping: Any, key: Any, default: int | None) -> int | None:
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):  # no recorded position
        return default


def _item_line(seq: Any, index: int, default: int | None) -> int | None:
    try:
        return seq.lc.item(index)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return default


def _node_line(node: Any, default: int | None) -> int | None:
    try:
        return node.lc.line + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return default


class _Checker:
    def __init__(self, file: str, issues: list[Issue]):
        self.file = file
        self.issues = issues

    def error(self, line: int | None, fld: str, message: str) -> None:
        self.issues.append(Issue(self.file, line, fld, message, "error"))

    def warn(self, line: int | None, fld: str, message: str) -> None:
        self.issues.append(Issue(self.file, line, fld, message, "warning"))

    def load(self, path: Path) -> Any:
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.error(None, "(file)", f"cannot read: {exc}")
            return None
        try:
            return _yaml().load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = exc.problem or exc.context or "invalid YAML"
            self.error(line, "(yaml)", f"bad YAML: {problem}")
        except YAMLError as exc:
            self.error(None, "(yaml)", f"bad YAML: {exc}")
        return None

    def mapping(self, value: Any, line: int | None, fld: str) -> bool:
        if not isinstance(value, dict):
            self.error(line, fld, f"expected a mapping, got {_type_name(value)}")
            return False
        return True

    def keys(self, value: dict, allowed: tuple[str, ...], required: tuple[str, ...],
             line: int | None, prefix: str) -> None:
        for key in value:
            if key not in allowed:
                self.error(_key_line(value, key, line), _join(prefix, str(key)),
                           f"unknown field (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in value or value[key] is None:
                self.error(line, _join(prefix, key), "required field is missing")

    def string(self, value: Any, line: int | None, fld: str, pattern: re.Pattern | None = None,
               what: str = "") -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.error(line, fld, f"expected a non-empty text, got {_type_name(value)}")
            return None
        if pattern is not None and not pattern.match(value):
            self.error(line, fld, f"{value!r} is not {what or 'valid'}")
            return None
        return str(value)

    def day(self, value: Any, line: int | None, fld: str) -> date | None:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                    return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(line, fld, f"{value!r} is not a valid date (YYYY-MM-DD)")
        return None


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


# --- triangulation.yml -----------------------------------------------------------------


def _load_rules(root: Path, issues: list[Issue]) -> Rules:
    path = root / RULES_FILE
    if not path.exists():
        return Rules()
    chk = _Checker(str(path), issues)
    data = chk.load(path)
    if data is None or not chk.mapping(data, 1, "(document)"):
        return Rules()
    allowed = ("min_independent_kinds", "government_kinds", "official_kinds")
    chk.keys(data, allowed, allowed, 1, "")
    rules = Rules()
    n = data.get("min_independent_kinds")
    if n is not None:
        if isinstance(n, int) and not isinstance(n, bool) and n >= 1:
            rules = Rules(n, rules.government_kinds, rules.official_kinds)
        else:
            chk.error(_key_line(data, "min_independent_kinds", 1), "min_independent_kinds",
                      "expected a whole number >= 1")
    kinds = {}
    for name in ("government_kinds", "official_kinds"):
        value = data.get(name)
        line = _key_line(data, name, 1)
        if value is None:
            continue
        if not isinstance(value, list) or not value:
            chk.error(line, name, "expected a non-empty list of source kinds")
            continue
        good = True
        for i, kind in enumerate(value):
            if kind not in SOURCE_KINDS:
                chk.error(_item_line(value, i, line), f"{name}[{i}]",
                          f"unknown source kind {kind!r} (allowed: {', '.join(SOURCE_KINDS)})")
                good = False
        if good:
            kinds[name] = frozenset(value)
    return Rules(
        rules.min_independent_kinds,
        kinds.get("government_kinds", rules.government_kinds),
        kinds.get("official_kinds", rules.official_kinds),
    )


# --- sources.yml -----------------------------------------------------------------------

SOURCE_FIELDS = ("id", "title", "author", "publisher", "kind", "published", "accessed", "url",
                 "language", "known_through", "note")
SOURCE_REQUIRED = ("id", "title", "publisher", "kind")


def _load_sources(root: Path, issues: list[Issue], declared: set) -> dict[str, Source]:
    path = root / SOURCES_FILE
    chk = _Checker(str(path), issues)
    if not path.exists():
        chk.error(None, "(file)", "source registry is missing")
        return {}
    data = chk.load(path)
    if data is None:
        return {}
    if not chk.mapping(data, 1, "(document)"):
        return {}
    chk.keys(data, ("sources",), ("sources",), 1, "")
    entries = data.get("sources")
    if not isinstance(entries, list):
        if entries is not None:
            chk.error(_key_line(data, "sources", 1), "sources", "expected a list")
        return {}
    sources: dict[str, Source] = {}
    lines: dict[str, int] = {}
    for i, entry in enumerate(entries):
        line = _item_line(entries, i, 1)
        prefix = f"sources[{i}]"
        if not chk.mapping(entry, line, prefix):
            continue
        chk.keys(entry, SOURCE_FIELDS, SOURCE_REQUIRED, line, prefix)
        if isinstance(entry.get("id"), str):
            declared.add(entry["id"])

        def at(key: str, entry: dict = entry, line: int | None = line) -> int | None:
            return _key_line(entry, key, line)

        sid = chk.string(entry.get("id"), at("id"), f"{prefix}.id", ID_PATTERN,
                         "a valid id (lowercase letters, digits, _ . -)") if "id" in entry else None
        title = chk.string(entry.get("title"), at("title"), f"{prefix}.title") if "title" in entry else None
        publisher = (chk.string(entry.get("publisher"), at("publisher"), f"{prefix}.publisher")
                     if "publisher" in entry else None)
        kind = entry.get("kind")
        if "kind" in entry and kind not in SOURCE_KINDS:
            chk.error(at("kind"), f"{prefix}.kind",
                      f"unknown source kind {kind!r} (allowed: {', '.join(SOURCE_KINDS)})")
            kind = None
        published = entry.get("published")
        if isinstance(published, int) and not isinstance(published, bool):
            published = str(published)
        if published is not None and not (isinstance(published, str) and PUBLISHED_PATTERN.match(published)):
            chk.error(at("published"), f"{prefix}.published",
                      f"{entry.get('published')!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            published = False
        if entry.get("published") is None and entry.get("accessed") is None:
            chk.error(line, f"{prefix}.published", "give a publication date, or an access date for a web page")
        url = entry.get("url")
        if url is not None and not (isinstance(url, str) and re.match(r"^https?://\S+$", url)):
            chk.error(at("url"), f"{prefix}.url", f"{url!r} is not an http(s) URL")
        language = entry.get("language")
        if language is not None and not (isinstance(language, str) and LANG_CODE.match(language)):
            chk.error(at("language"), f"{prefix}.language", f"{language!r} is not a language code")
        accessed = entry.get("accessed")
        if accessed is not None:
            accessed = chk.day(accessed, at("accessed"), f"{prefix}.accessed")
        known = entry.get("known_through")
        if known is not None:
            known = chk.string(known, at("known_through"), f"{prefix}.known_through")
        author = entry.get("author")
        if author is not None:
            author = chk.string(author, at("author"), f"{prefix}.author")
        note = entry.get("note")
        if note is not None:
            note = chk.string(note, at("note"), f"{prefix}.note")
        if sid is None or title is None or publisher is None or kind is None or published is False:
            continue
        if sid in sources:
            chk.error(at("id"), f"{prefix}.id", f"duplicate source id {sid!r} (first at line {lines[sid]})")
            continue
        lines[sid] = at("id") or line
        sources[sid] = Source(id=sid, title=title, publisher=publisher, kind=kind,
                              published=str(published) if published else None,
                              language=language, url=url, known_through=known, accessed=accessed,
                              author=author, note=note)
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("known_through") is not None:
            known = entry["known_through"]
            line = _key_line(entry, "known_through", _item_line(entries, i, 1))
            if known == entry.get("id"):
                chk.error(line, f"sources[{i}].known_through", "a source cannot be known through itself")
            elif known not in declared:
                chk.error(line, f"sources[{i}].known_through", f"unknown source id {known!r}")
            elif known in sources and sources[known].known_through:
                chk.error(line, f"sources[{i}].known_through",
                          f"{known!r} is itself known through another source; point to the original parent")
    return sources


# --- <CC>.yml profiles -----------------------------------------------------------------

PROFILE_FIELDS = ("country", "name", "facts")
FACT_FIELDS = ("id", "text", "sources", "last_verified", "review_by", "region", "conflicts_with", "contact")
CONTACT_FIELDS = ("email", "host", "sources")
FACT_REQUIRED = ("id", "text", "sources", "last_verified", "review_by")
TRANSLATION_FIELDS = ("text", "state", "en_hash")


def _load_profile(path: Path, issues: list[Issue], sink: list[tuple[Fact, dict[str, Any], str]],
                  declared: set, scope: str = "origin") -> Profile | None:
    chk = _Checker(str(path), issues)
    code = path.stem
    if not PROFILE_NAME.match(code):
        chk.error(None, "(file)", "profile files are named by ISO 3166-1 alpha-2 code, e.g. SN.yml")
        return None
    topics = TOPICS if scope == "origin" else HOST_TOPICS
    if scope == "host" and code not in (*HOST_COUNTRIES, EU_WIDE):
        chk.error(None, "(file)", f"{code} is not a host country ({', '.join(HOST_COUNTRIES)}, or {EU_WIDE} for all)")
        return None
    data = chk.load(path)
    if data is None:
        return None
    if not chk.mapping(data, 1, "(document)"):
        return None
    chk.keys(data, PROFILE_FIELDS, ("country",), 1, "")
    if "country" in data and data.get("country") != code:
        chk.error(_key_line(data, "country", 1), "country",
                  f"{data.get('country')!r} does not match the file name {code}")
    names: dict[str, str] = {}
    raw_names = data.get("name")
    if raw_names is not None:
        nline = _key_line(data, "name", 1)
        if chk.mapping(raw_names, nline, "name"):
            for lang, value in raw_names.items():
                l_line = _key_line(raw_names, lang, nline)
                if lang not in LANGUAGES:
                    chk.error(l_line, f"name.{lang}", f"unknown language (allowed: {', '.join(LANGUAGES)})")
                elif chk.string(value, l_line, f"name.{lang}"):
                    names[lang] = str(value)
    facts = data.get("facts")
    if facts is not None:
        fline = _key_line(data, "facts", 1)
        if chk.mapping(facts, fline, "facts"):
            for topic, items in facts.items():
                tline = _key_line(facts, topic, fline)
                if topic not in topics:
                    chk.error(tline, f"facts.{topic}", f"unknown topic (allowed: {', '.join(topics)})")
                    continue
                if items is None:
                    continue
                if not isinstance(items, list):
                    chk.error(tline, f"facts.{topic}", "expected a list of facts")
                    continue
                for i, item in enumerate(items):
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        declared.add(item["id"])
                    loaded = _load_fact(chk, code, topic, item, _item_line(items, i, tline),
                                        f"facts.{topic}[{i}]", scope)
                    if loaded is not None:
                        sink.append((loaded[0], loaded[1], f"facts.{topic}[{i}]"))
    return Profile(code, names, str(path))


def _load_fact(chk: _Checker, code: str, topic: str, item: Any, line: int | None,
               prefix: str, scope: str = "origin") -> tuple[Fact, dict[str, Any]] | None:
    """Check one fact; return it with the lines of its id, source refs and conflict links."""
    if not chk.mapping(item, line, prefix):
        return None
    line = _node_line(item, line)
    chk.keys(item, FACT_FIELDS, FACT_REQUIRED, line, prefix)
    ok = all(k in item and item[k] is not None for k in FACT_REQUIRED)

    def at(key: str) -> int | None:
        return _key_line(item, key, line)

    fid = chk.string(item.get("id"), at("id"), f"{prefix}.id", ID_PATTERN,
                     "a valid id (lowercase letters, digits, _ . -)") if "id" in item else None
    en, translations = None, {}
    text = item.get("text")
    if text is not None:
        tline = at("text")
        if chk.mapping(text, tline, f"{prefix}.text"):
            if text.get("en") is None:
                chk.error(tline, f"{prefix}.text.en", "English text is required")
            else:
                en = chk.string(text.get("en"), _key_line(text, "en", tline), f"{prefix}.text.en")
            for lang, tr in text.items():
                if lang == "en":
                    continue
                lline = _key_line(text, lang, tline)
                lfield = f"{prefix}.text.{lang}"
                if lang not in TRANSLATION_LANGUAGES:
                    chk.error(lline, lfield, f"unknown language (allowed: {', '.join(LANGUAGES)})")
                    continue
                if not chk.mapping(tr, lline, lfield):
                    continue
                chk.keys(tr, TRANSLATION_FIELDS, TRANSLATION_FIELDS, lline, lfield)
                t_text = chk.string(tr.get("text"), _key_line(tr, "text", lline), f"{lfield}.text") \
                    if "text" in tr else None
                state = tr.get("state")
                if "state" in tr and state not in STORED_TRANSLATION_STATES:
                    chk.error(_key_line(tr, "state", lline), f"{lfield}.state",
                              f"{state!r} is not a state a curator can set "
                              f"({', '.join(STORED_TRANSLATION_STATES)}; outdated and missing are computed)")
                    state = None
                en_hash = tr.get("en_hash")
                if "en_hash" in tr and not (isinstance(en_hash, str) and HASH_PATTERN.match(en_hash)):
                    chk.error(_key_line(tr, "en_hash", lline), f"{lfield}.en_hash",
                              f"{en_hash!r} is not an 8-character hash of the English text")
                    en_hash = None
                if t_text and state and en_hash:
                    translations[lang] = Translation(t_text, state, en_hash)
    refs: list[SourceRef] = []
    ref_lines: list[int | None] = []
    conflict_lines: list[int | None] = []
    raw_sources = item.get("sources")
    if raw_sources is not None:
        sline = at("sources")
        if not isinstance(raw_sources, list) or not raw_sources:
            chk.error(sline, f"{prefix}.sources", "expected a non-empty list of source ids")
            ok = False
        else:
            for i, ref in enumerate(raw_sources):
                rline = _item_line(raw_sources, i, sline)
                rfield = f"{prefix}.sources[{i}]"
                if isinstance(ref, str):
                    refs.append(SourceRef(ref))
                    ref_lines.append(rline)
                elif isinstance(ref, dict):
                    chk.keys(ref, ("id", "locator"), ("id",), rline, rfield)
                    sid = chk.string(ref.get("id"), rline, f"{rfield}.id") if "id" in ref else None
                    loc = ref.get("locator")
                    if loc is not None and not isinstance(loc, str):
                        chk.error(rline, f"{rfield}.locator", "expected a text")
                        loc = None
                    if sid:
                        refs.append(SourceRef(sid, loc))
                        ref_lines.append(rline)
                else:
                    chk.error(rline, rfield, f"expected a source id or {{id, locator}}, got {_type_name(ref)}")
    last_verified = chk.day(item["last_verified"], at("last_verified"), f"{prefix}.last_verified") \
        if item.get("last_verified") is not None else None
    review_by = chk.day(item["review_by"], at("review_by"), f"{prefix}.review_by") \
        if item.get("review_by") is not None else None
    if last_verified and review_by and review_by < last_verified:
        chk.error(at("review_by"), f"{prefix}.review_by", "review_by is before last_verified")
    region = item.get("region")
    if region is not None and not chk.string(region, at("region"), f"{prefix}.region"):
        region = None
    conflicts: list[str] = []
    raw_conflicts = item.get("conflicts_with")
    if raw_conflicts is not None:
        cline = at("conflicts_with")
        if not isinstance(raw_conflicts, list):
            chk.error(cline, f"{prefix}.conflicts_with", "expected a list of fact ids")
        else:
            for i, cid in enumerate(raw_conflicts):
                c_line = _item_line(raw_conflicts, i, cline)
                if chk.string(cid, c_line, f"{prefix}.conflicts_with[{i}]"):
                    conflicts.append(str(cid))
                    conflict_lines.append(c_line)
    contact, contact_lines = None, []
    if item.get("contact") is not None:
        contact, contact_lines = _load_contact(chk, topic, item["contact"], at("contact"), f"{prefix}.contact")
        if contact is None:
            ok = False
    if not ok or None in (fid, en, last_verified, review_by) or not refs:
        return None
    fact = Fact(fid, code, topic, en, translations, refs, last_verified, review_by,
                str(region) if region else None, conflicts, chk.file, line, scope, contact)
    return fact, {"id": at("id"), "sources": ref_lines, "conflicts": conflict_lines, "contact_sources": contact_lines}


def _load_contact(chk: _Checker, topic: str, raw: Any, line: int | None,
                  prefix: str) -> tuple[Contact | None, list[int | None]]:
    """A consulate's e-mail address with its own sources (a referral may be sent to it)."""
    if topic != CONTACT_TOPIC:
        chk.error(line, prefix, f"only {CONTACT_TOPIC} facts can have a contact")
        return None, []
    if not chk.mapping(raw, line, prefix):
        return None, []
    chk.keys(raw, CONTACT_FIELDS, ("email", "sources"), line, prefix)
    email = chk.string(raw.get("email"), _key_line(raw, "email", line), f"{prefix}.email", EMAIL,
                       "an e-mail address") if "email" in raw else None
    host = raw.get("host")
    if host is not None and host not in HOST_COUNTRIES:
        chk.error(_key_line(raw, "host", line), f"{prefix}.host",
                  f"{host!r} is not a host country ({', '.join(HOST_COUNTRIES)})")
        return None, []
    refs: list[SourceRef] = []
    lines: list[int | None] = []
    raw_sources = raw.get("sources")
    sline = _key_line(raw, "sources", line)
    if raw_sources is not None and (not isinstance(raw_sources, list) or not raw_sources):
        chk.error(sline, f"{prefix}.sources", "expected a non-empty list of source ids")
    for i, ref in enumerate(raw_sources if isinstance(raw_sources, list) else []):
        rline = _item_line(raw_sources, i, sline)
        if isinstance(ref, str):
            refs.append(SourceRef(ref))
        elif isinstance(ref, dict) and isinstance(ref.get("id"), str):
            chk.keys(ref, ("id", "locator"), ("id",), rline, f"{prefix}.sources[{i}]")
            locator = ref.get("locator")
            refs.append(SourceRef(ref["id"], locator if isinstance(locator, str) else None))
        else:
            chk.error(rline, f"{prefix}.sources[{i}]", f"expected a source id or {{id, locator}}, got {_type_name(ref)}")
            continue
        lines.append(rline)
    if email is None or not refs:
        return None, []
    return Contact(email, refs, host), lines


# --- whole directory -------------------------------------------------------------------


def load_tree(root: Path | str) -> LoadResult:
    """Load everything under ``root``; never raises for content problems."""
    root = Path(root)
    result = LoadResult(root=root)
    issues = result.issues
    if not root.is_dir():
        issues.append(Issue(str(root), None, "(directory)", "profile directory not found"))
        return result
    result.rules = _load_rules(root, issues)
    result.sources = _load_sources(root, issues, result.declared_source_ids)
    loaded: list[tuple[Fact, dict[str, Any], str]] = []
    for path in sorted(root.glob("*.yml")):
        if path.name in (SOURCES_FILE, RULES_FILE):
            continue
        profile = _load_profile(path, issues, loaded, result.declared_fact_ids)
        if profile is not None:
            result.profiles[profile.code] = profile
    hosts = root / HOSTS_DIR
    if hosts.is_dir():
        for path in sorted(hosts.glob("*.yml")):
            if path.name == PROGRAMMES_FILE:
                continue
            profile = _load_profile(path, issues, loaded, result.declared_fact_ids, scope="host")
            if profile is not None:
                result.hosts[profile.code] = profile
    _cross_check(result, loaded)
    if (hosts / PROGRAMMES_FILE).exists():
        from .programmes import load_programmes

        result.programmes = load_programmes(hosts / PROGRAMMES_FILE, issues, result)
    return result


def _cross_check(result: LoadResult, loaded: list[tuple[Fact, dict[str, Any], str]]) -> None:
    issues = result.issues
    for fact, pos, prefix in loaded:
        chk = _Checker(fact.file or "", issues)
        if fact.id in result.facts:
            first = result.facts[fact.id]
            chk.error(pos["id"], f"{prefix}.id",
                      f"duplicate fact id {fact.id!r} (first in {first.file}:{first.line})")
            continue
        result.facts[fact.id] = fact
    ids = result.declared_fact_ids
    for fact, pos, prefix in loaded:
        if result.facts.get(fact.id) is not fact:
            continue
        chk = _Checker(fact.file or "", issues)
        line = fact.line
        for i, (ref, rline) in enumerate(zip(fact.source_refs, pos["sources"])):
            if ref.id not in result.declared_source_ids:
                chk.error(rline, f"{prefix}.sources[{i}]", f"unknown source id {ref.id!r}")
        if fact.contact is not None:
            for i, (ref, rline) in enumerate(zip(fact.contact.source_refs, pos["contact_sources"])):
                if ref.id not in result.declared_source_ids:
                    chk.error(rline, f"{prefix}.contact.sources[{i}]", f"unknown source id {ref.id!r}")
        for i, (cid, cline) in enumerate(zip(fact.conflicts_with, pos["conflicts"])):
            if cid == fact.id:
                chk.error(cline, f"{prefix}.conflicts_with[{i}]", "a fact cannot conflict with itself")
            elif cid not in ids:
                chk.error(cline, f"{prefix}.conflicts_with[{i}]", f"unknown fact id {cid!r}")
        for lang in TRANSLATION_LANGUAGES:
            state = fact.translation_state(lang)
            if state in ("missing", "outdated"):
                chk.warn(line, f"{prefix}.text.{lang}", f"translation {state} (fact {fact.id})")
