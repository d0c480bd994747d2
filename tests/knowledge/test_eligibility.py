"""Every programme rule in country_profiles/hosts/programmes.yml, evaluated by knowledge.eligibility."""
from pathlib import Path

import pytest

from knowledge import Library
from knowledge.eligibility import COVERS, NO_CRITERIA, NOT_LISTED, UNKNOWN, Answers, evaluate
from knowledge.programmes import ANSWERS

ROOT = Path(__file__).resolve().parents[2] / "country_profiles"
LIB = Library.load(ROOT)
PROGRAMMES = LIB.programmes()
RULES = [(p, c) for p in PROGRAMMES.items for c in p.covers]


def match_for(answers: Answers, programme_id: str):
    return next(m for m in evaluate(PROGRAMMES, answers).matches if m.programme.id == programme_id)


@pytest.mark.parametrize("programme,criterion", RULES, ids=[f"{p.id}:{c.field}={c.value}" for p, c in RULES])
def test_each_sourced_criterion_covers_its_situation(programme, criterion) -> None:
    match = match_for(Answers(host=programme.host, **{criterion.field: criterion.value}), programme.id)
    assert match.status == COVERS
    assert criterion in match.reasons
    assert all(LIB.source(ref.id) for ref in criterion.sources)


@pytest.mark.parametrize("programme", [p for p in PROGRAMMES.items if p.covers and not p.complements], ids=lambda p: p.id)
def test_a_situation_no_source_names_is_not_listed_and_skips_are_unknown(programme) -> None:
    named = {(c.field, c.value) for c in programme.covers}
    unnamed = next(v for v in ANSWERS["situation"] if ("situation", v) not in named)
    other_fields = {c.field for c in programme.covers} - {"situation"}
    answers = {f: next(v for v in ANSWERS[f] if (f, v) not in named) for f in other_fields}
    assert match_for(Answers(host=programme.host, situation=unnamed, **answers), programme.id).status == NOT_LISTED
    assert match_for(Answers(host=programme.host, situation="skipped"), programme.id).status == UNKNOWN


@pytest.mark.parametrize("programme", [p for p in PROGRAMMES.items if not p.covers and not p.complements], ids=lambda p: p.id)
def test_programmes_without_sourced_criteria_say_so(programme) -> None:
    for situation in ANSWERS["situation"]:
        screening = evaluate(PROGRAMMES, Answers(host=programme.host, situation=situation))
        assert match_for(Answers(host=programme.host, situation=situation), programme.id).status == NO_CRITERIA
        if not any(p.covers for p in PROGRAMMES.for_host(programme.host)):
            assert not screening.verified


def test_a_complementary_programme_follows_the_one_it_needs() -> None:
    covered = Answers(host="DE", situation="claim_refused")
    assert match_for(covered, "de-starthilfeplus").status == COVERS
    assert match_for(Answers(host="DE", situation="other"), "de-starthilfeplus").status == NOT_LISTED


def test_germany_refused_claim_needs_and_reasons() -> None:
    screening = evaluate(PROGRAMMES, Answers(host="DE", situation="claim_refused", return_decision="yes"))
    assert screening.verified
    reag = screening.covering[0]
    assert reag.programme.id == "de-reag-garp"
    assert {c.value for c in reag.reasons} == {"claim_refused", "yes"}
    assert {n.need for n in reag.needs} >= {"lack_of_means", "withdraw_claim", "travel_document"}


def test_no_host_no_programmes_and_other_hosts_have_no_verified_criteria() -> None:
    assert evaluate(PROGRAMMES, Answers(situation="claim_refused")).matches == []
    assert not evaluate(PROGRAMMES, Answers(host="PL", situation="claim_refused")).verified
    assert not evaluate(PROGRAMMES, Answers(host="NL", situation="claim_refused")).verified
    assert not evaluate(PROGRAMMES, Answers(host="ES", situation="no_permit")).verified


def test_general_avrr_groups_come_from_the_brief_only() -> None:
    screening = evaluate(PROGRAMMES, Answers(host="NL", situation="trafficking", vulnerability="unaccompanied_minor"))
    assert {(c.field, c.value) for c in screening.general} == {("situation", "trafficking"), ("vulnerability", "unaccompanied_minor")}
    assert all(ref.id == "mpi_2021_avrr_brief" for c in screening.general for ref in c.sources)


def test_answers_from_slots_ignore_skips_and_unknown_values() -> None:
    answers = Answers.from_slots({"host_country": "FR", "situation": "skipped", "travel_document": "maybe"})
    assert answers.host == "FR" and answers.situation is None
    assert answers.value("travel_document") is None
