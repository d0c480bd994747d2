"""Host-country profiles (country_profiles/hosts/) load with the same schema and source rules."""
from pathlib import Path

import pytest

from knowledge import Library
from knowledge.curation import coverage, render_csv, validate
from knowledge.loader import load_tree
from knowledge.model import HOST_COUNTRIES, HOST_TOPICS

ROOT = Path(__file__).resolve().parents[2] / "country_profiles"


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.load(ROOT)


def test_the_eight_hosts_validate_with_facts(lib) -> None:
    assert validate(ROOT).ok
    assert lib.hosts() == sorted(HOST_COUNTRIES)
    for host in HOST_COUNTRIES:
        assert any(lib.host_facts(host, topic, eu_wide=False) for topic in HOST_TOPICS), host


def test_every_host_fact_cites_registered_sources(lib) -> None:
    for host in HOST_COUNTRIES:
        for topic in HOST_TOPICS:
            for fact in lib.host_facts(host, topic):
                assert fact.sources and all(lib.source(s.id) for s in fact.source_refs)


def test_eu_wide_facts_follow_each_host_and_112_is_there(lib) -> None:
    for host in HOST_COUNTRIES:
        emergency = lib.host_facts(host, "emergency")
        assert any("112" in fact.text("en")[0] for fact in emergency)


def test_host_facts_do_not_leak_into_origin_answers(lib) -> None:
    assert not set(lib.countries()) & set(HOST_COUNTRIES)
    for code in lib.countries():
        assert all(fact.fact.scope == "origin" for topic in lib.topics(code) for fact in lib.facts(code, topic))


def test_coverage_report_has_a_row_per_host_and_topic() -> None:
    rows = [r for r in coverage(ROOT) if r.scope == "host"]
    assert {(r.country, r.topic) for r in rows} >= {(h, t) for h in HOST_COUNTRIES for t in HOST_TOPICS}
    assert "host" in render_csv(rows).splitlines()[1]


def test_host_files_are_checked_like_origin_profiles(tmp_path) -> None:
    (tmp_path / "sources.yml").write_text((ROOT / "sources.yml").read_text(encoding="utf-8"), encoding="utf-8")
    hosts = tmp_path / "hosts"
    hosts.mkdir()
    (hosts / "PL.yml").write_text("country: PL\n", encoding="utf-8")
    (hosts / "DE.yml").write_text(
        "country: DE\nfacts:\n  weather:\n    - id: de-x\n      text: {en: x}\n      sources: [nope]\n"
        "      last_verified: 2026-01-01\n      review_by: 2026-06-01\n  appeal:\n    - id: de-y\n      text: {en: y}\n"
        "      sources: [nope]\n      last_verified: 2026-01-01\n      review_by: 2026-06-01\n",
        encoding="utf-8",
    )
    messages = [str(i) for i in load_tree(tmp_path).errors]
    assert any("PL is not a host country" in m for m in messages)
    assert any("facts.weather" in m and "unknown topic" in m for m in messages)
    assert any("unknown source id 'nope'" in m for m in messages)


def test_programme_criteria_must_name_real_answers_sources_and_facts(tmp_path) -> None:
    (tmp_path / "sources.yml").write_text((ROOT / "sources.yml").read_text(encoding="utf-8"), encoding="utf-8")
    hosts = tmp_path / "hosts"
    hosts.mkdir()
    (hosts / "programmes.yml").write_text(
        "programmes:\n  - id: x\n    host: DE\n    run_by: [IOM]\n"
        "    covers:\n      - {field: situation, value: rich, sources: [mpi_2021_avrr_brief]}\n"
        "      - {field: situation, value: other, sources: [invented_source]}\n"
        "    needs:\n      - {need: a_car, sources: [mpi_2021_avrr_brief]}\n"
        "    facts: [no-such-fact]\n    last_verified: 2026-11-22\n    review_by: 2027-05-22\n",
        encoding="utf-8",
    )
    messages = [str(i) for i in load_tree(tmp_path).errors]
    assert any("unknown answer 'rich'" in m for m in messages)
    assert any("unknown source id 'invented_source'" in m for m in messages)
    assert any("unknown need 'a_car'" in m for m in messages)
    assert any("unknown fact id 'no-such-fact'" in m for m in messages)
