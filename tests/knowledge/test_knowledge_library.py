import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from knowledge import Library, english_hash

TODAY = date(2026, 11, 22)
EN_ONE = "Fixture fact one."
REPO = Path(__file__).resolve().parents[2]

CONFLICT = """\
country: GH
facts:
  security:
    - id: gh-official-view
      text:
        en: "The ministry says one thing."
      sources: [ministry]
      last_verified: 2026-11-22
      review_by: 2027-05-22
      conflicts_with: [gh-other-view]
    - id: gh-other-view
      text:
        en: "An NGO says another."
      sources: [ngo_report]
      last_verified: 2026-11-22
      review_by: 2027-05-22
"""


@pytest.fixture
def lib(make_tree):
    return Library.load(make_tree({"GH.yml": CONFLICT}))


def test_countries_are_sorted_codes(lib):
    assert lib.countries() == ["GH", "SN"]
    assert lib.has_profile("SN") and lib.has_profile("sn")
    assert not lib.has_profile("ML")


def test_topics_with_facts_in_canonical_order(lib):
    assert lib.topics("SN") == ["jobs", "reintegration"]
    assert lib.topics("ML") == []


def test_facts_best_first(lib):
    facts = lib.facts("SN", "reintegration", today=TODAY)
    assert [(f.id, f.status) for f in facts] == [("sn-two", "corroborated"), ("sn-one", "single_source")]


def test_stale_official_fact(lib):
    (fact,) = lib.facts("SN", "jobs", today=TODAY)
    assert fact.status == "official_only"
    assert fact.flags == ["stale"]
    assert fact.headline == "stale"
    assert lib.facts("SN", "jobs", today=date(2026, 11, 21))[0].flags == []


def test_assessed_fact_fields(lib):
    fact = lib.fact("sn-one", today=TODAY)
    assert (fact.country, fact.topic, fact.region) == ("SN", "reintegration", None)
    assert [s.id for s in fact.sources] == ["brief"]
    assert fact.source_refs[0].locator == "section 1"
    assert fact.last_verified == date(2026, 11, 22)
    assert fact.review_by == date(2027, 5, 22)
    assert lib.fact("nope") is None


def test_text_in_each_state(lib):
    fact = lib.fact("sn-one", today=TODAY)
    assert fact.text("en") == (EN_ONE, "current")
    assert fact.text("fr") == ("Fait un.", "machine_translated")
    assert fact.text("ar") == (EN_ONE, "missing")
    assert fact.text("xx") == (EN_ONE, "missing")


def test_english_edit_makes_translation_outdated(make_tree, texts):
    edited = texts.PROFILE.replace(f'en: "{EN_ONE}"', 'en: "Fixture fact one, corrected."')
    lib = Library.load(make_tree({"SN.yml": edited}))
    assert lib.fact("sn-one").text("fr") == ("Fait un.", "outdated")


def test_whitespace_reflow_does_not_outdate():
    assert english_hash("Fixture  fact\n one. ") == english_hash(EN_ONE)


def test_conflict_link_marks_both_sides_contested(lib):
    official = lib.fact("gh-official-view", today=TODAY)
    other = lib.fact("gh-other-view", today=TODAY)
    assert official.statuses == ["official_only", "contested"]
    assert other.statuses == ["single_source", "contested"]
    assert [c.id for c in official.conflicts] == ["gh-other-view"]
    assert [c.id for c in other.conflicts] == ["gh-official-view"]
    assert other.conflicts[0].conflicts == []  # not expanded further
    assert other.headline == "contested"


def test_source_lookup(lib):
    assert lib.source("io_report").known_through == "brief"
    with pytest.raises(KeyError):
        lib.source("nope")


def test_unknown_topic_is_a_programming_error(lib):
    with pytest.raises(ValueError):
        lib.facts("SN", "weather")


def test_import_is_side_effect_free():
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda ev, args: opened.append(str(args[0])) if ev == 'open' else None)\n"
        "import knowledge, knowledge.curation, knowledge.__main__\n"
        "bad = [p for p in opened if p.endswith(('.yml', '.yaml', '.jsonl'))]\n"
        "assert not bad, bad\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk') or m.startswith('ruamel.yaml')], 'heavy import'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
