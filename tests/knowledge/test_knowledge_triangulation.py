from datetime import date
from pathlib import Path

import pytest

from knowledge.loader import load_tree
from knowledge.model import Source
from knowledge.triangulation import (
    DEFAULT_RULES,
    Rules,
    assess,
    evidence_status,
    is_stale,
    sort_key,
)

TODAY = date(2026, 11, 22)


def src(sid, kind, known_through=None):
    return Source(id=sid, title=sid, publisher="p", kind=kind, published="2021", known_through=known_through)


def test_one_source_is_single_source():
    assert evidence_status([src("a", "research")]) == "single_source"


def test_two_sources_of_the_same_kind_are_single_source():
    assert evidence_status([src("a", "ngo_civil_society"), src("b", "ngo_civil_society")]) == "single_source"


def test_government_plus_ngo_is_corroborated():
    assert evidence_status([src("a", "origin_government"), src("b", "ngo_civil_society")]) == "corroborated"


def test_destination_government_plus_research_is_corroborated():
    assert evidence_status([src("a", "destination_government"), src("b", "research")]) == "corroborated"


def test_two_origin_government_sources_are_official_only():
    assert evidence_status([src("a", "origin_government"), src("b", "origin_government")]) == "official_only"


def test_one_origin_government_source_is_official_only():
    assert evidence_status([src("a", "origin_government")]) == "official_only"


def test_two_governments_without_a_non_government_source_are_not_corroborated():
    sources = [src("a", "origin_government"), src("b", "destination_government")]
    assert evidence_status(sources) == "single_source"


def test_document_and_the_brief_citing_it_are_independent():
    sources = [src("brief", "research"), src("iom", "international_organisation", known_through="brief")]
    assert evidence_status(sources) == "corroborated"


def test_two_documents_known_through_the_same_parent_are_not_independent():
    sources = [
        src("iom", "international_organisation", known_through="brief"),
        src("ngo", "ngo_civil_society", known_through="brief"),
    ]
    assert evidence_status(sources) == "single_source"


def test_documents_known_through_different_parents_are_independent():
    sources = [
        src("iom", "international_organisation", known_through="brief_a"),
        src("ngo", "ngo_civil_society", known_through="brief_b"),
    ]
    assert evidence_status(sources) == "corroborated"


def test_same_source_cited_twice_counts_once():
    assert evidence_status([src("a", "research"), src("a", "research")]) == "single_source"


def test_no_sources_is_an_error():
    with pytest.raises(ValueError):
        evidence_status([])


def test_threshold_of_three_kinds_from_configuration():
    rules = Rules(min_independent_kinds=3)
    two = [src("a", "research"), src("b", "media")]
    three = two + [src("c", "ngo_civil_society")]
    assert evidence_status(two, rules) == "single_source"
    assert evidence_status(three, rules) == "corroborated"


def test_official_kinds_come_from_configuration():
    rules = Rules(official_kinds=frozenset({"origin_government", "destination_government"}))
    sources = [src("a", "origin_government"), src("b", "destination_government")]
    assert evidence_status(sources, rules) == "official_only"


def test_review_by_today_is_not_stale():
    assert not is_stale(TODAY, TODAY)


def test_review_by_yesterday_is_stale():
    assert is_stale(date(2026, 11, 21), TODAY)


def test_conflict_adds_contested_flag_to_the_evidence_status():
    status, flags = assess([src("a", "research")], TODAY, TODAY, contested=True)
    assert (status, flags) == ("single_source", ["contested"])


def test_contested_and_stale_are_both_shown():
    status, flags = assess([src("a", "origin_government"), src("b", "media")], date(2026, 1, 1), TODAY,
                           contested=True)
    assert status == "corroborated"
    assert flags == ["contested", "stale"]


def test_fresh_uncontested_fact_has_no_flags():
    assert assess([src("a", "research")], TODAY, TODAY) == ("single_source", [])


def test_sort_key_puts_stale_last_then_evidence_then_newest():
    old, new = date(2026, 1, 1), date(2026, 6, 1)
    keys = {
        "stale_corroborated": sort_key("corroborated", ["stale"], new, "a"),
        "official": sort_key("official_only", [], new, "b"),
        "single_old": sort_key("single_source", [], old, "c"),
        "single_new": sort_key("single_source", [], new, "d"),
        "corroborated": sort_key("corroborated", ["contested"], old, "e"),
    }
    assert sorted(keys, key=keys.get) == ["corroborated", "single_new", "single_old", "official",
                                          "stale_corroborated"]


def test_shipped_configuration_matches_the_documented_defaults():
    loaded = load_tree(Path(__file__).resolve().parents[2] / "country_profiles")
    assert loaded.rules == DEFAULT_RULES


def test_bad_threshold_configuration_is_located(make_tree):
    root = make_tree({"triangulation.yml": "min_independent_kinds: 2\ngovernment_kinds: [origin_government, king]\n"
                                           "official_kinds: [origin_government]\n"})
    errors = load_tree(root).errors
    assert [(e.line, e.field) for e in errors] == [(2, "government_kinds[1]")]
    assert errors[0].file.endswith("triangulation.yml")
