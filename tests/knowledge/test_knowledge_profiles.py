"""The shipped country_profiles/: valid, fully translated, honestly sourced."""
import re
from datetime import date
from pathlib import Path

import pytest

from knowledge import LANGUAGES, Library
from knowledge.curation import validate

PROFILES = Path(__file__).resolve().parents[2] / "country_profiles"
VERIFIED_ON = date(2026, 11, 22)
# Origin countries the reference brief discusses (Kosovo as XK).
BRIEF_COUNTRIES = {"SN", "GH", "ET", "TN", "MA", "NG", "GM", "BF", "BD", "XK", "IQ", "RS", "ML", "CI"}


@pytest.fixture(scope="module")
def lib():
    return Library.load(PROFILES)


def origin_facts(lib):
    """Facts of the origin profiles (host-country profiles are checked in test_host_profiles.py)."""
    return [f for f in lib.all_facts(VERIFIED_ON) if f.fact.scope == "origin"]


def test_profiles_validate_without_errors_or_warnings():
    report = validate(PROFILES, today=VERIFIED_ON)
    assert report.errors == [], report.render()
    # Host-country facts are not translated yet: their "translation missing" warnings are expected.
    origin_warnings = [w for w in report.warnings if "/hosts/" not in w.file]
    assert origin_warnings == [], report.render()


def test_every_country_the_brief_discusses_has_a_profile(lib):
    assert set(lib.countries()) == BRIEF_COUNTRIES


def test_coverage_bar_that_the_sources_support(lib):
    """Every profile the brief discusses has facts, and there are enough of them to answer from."""
    with_facts = [c for c in lib.countries() if lib.topics(c)]
    assert len(with_facts) >= 10
    assert len(lib.all_facts(VERIFIED_ON)) >= 30


def test_issue_coverage_bar_ten_countries_six_topics(lib):
    """Issue #3: at least 10 countries with sourced facts in at least 6 topics each."""
    assert len([c for c in lib.countries() if len(lib.topics(c)) >= 6]) >= 10


def test_every_fact_is_in_all_five_languages(lib):
    for fact in origin_facts(lib):
        for lang in LANGUAGES:
            text, state = fact.text(lang)
            assert text.strip()
            assert state in ("current", "machine_translated"), (fact.id, lang, state)


def test_translations_are_marked_machine_translated(lib):
    states = {fact.text(lang)[1] for fact in origin_facts(lib) for lang in LANGUAGES[1:]}
    assert states == {"machine_translated"}


def test_facts_are_fresh_and_checked_on_the_verification_day(lib):
    for fact in lib.all_facts(VERIFIED_ON):
        assert fact.last_verified == VERIFIED_ON
        assert not fact.is_stale


def test_every_cited_source_can_be_found_again(lib):
    """A source is the brief, a document the brief cites, or a web page with its URL and a date."""
    used = {ref.id for fact in origin_facts(lib) for ref in fact.source_refs}
    for source in lib.sources():
        if source.id == "mpi_2021_avrr_brief" or source.id not in used:
            continue
        if source.known_through:
            assert source.known_through == "mpi_2021_avrr_brief", source.id
        else:
            assert source.url, source.id
            assert source.published or source.accessed, source.id


def test_fact_texts_carry_no_contact_details(lib):
    # Origin facts carry no phone numbers, e-mails or URLs; host facts may carry the verified
    # contacts of official services (e.g. Fedasil's free number), each from its cited source.
    for fact in origin_facts(lib):
        for lang in LANGUAGES:
            text = fact.text(lang)[0]
            assert "http" not in text and "@" not in text
            assert not re.search(r"\+?\d[\d ]{6,}\d", text), (fact.id, lang)


def test_corroboration_is_computed_not_assumed(lib):
    statuses = {f.id: f.status for f in lib.all_facts(VERIFIED_ON)}
    assert statuses["tn-programmes-progres-eutf"] == "corroborated"
    assert statuses["sn-reception-baos-role"] == "single_source"
