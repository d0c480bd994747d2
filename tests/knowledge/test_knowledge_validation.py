"""One test per validation rule; each asserts the error names file, line and field."""
import textwrap

import pytest

from knowledge import Library, ProfileError, english_hash
from knowledge.curation import validate

H1 = english_hash("Fixture fact one.")

FACT = """\
country: GH
facts:
  jobs:
    - id: gh-one
      text:
        en: "A fact."
      sources: [brief]
      last_verified: 2026-11-22
      review_by: 2027-05-22
"""


def line_of(text, needle, occurrence=1):
    """1-based line of the n-th line containing ``needle``."""
    hits = [n for n, line in enumerate(textwrap.dedent(text).splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def only_error(root):
    report = validate(root)
    assert len(report.errors) == 1, report.render()
    return report.errors[0]


def test_valid_fixture_has_no_errors(make_tree):
    report = validate(make_tree())
    assert report.ok, report.render()


def test_bad_yaml(make_tree):
    text = FACT.replace('      sources: [brief]', '      sources: [brief')
    err = only_error(make_tree({"GH.yml": text}))
    assert err.file.endswith("GH.yml")
    assert err.field == "(yaml)"
    assert err.line in (line_of(text, "sources: [brief"), line_of(text, "last_verified"))
    assert "bad YAML" in err.message


def test_duplicate_yaml_key_is_bad_yaml(make_tree):
    text = FACT.replace('      review_by: 2027-05-22', '      review_by: 2027-05-22\n      review_by: 2027-06-22')
    err = only_error(make_tree({"GH.yml": text}))
    assert (err.field, err.line) == ("(yaml)", line_of(text, "review_by", 2))


def test_missing_english_text(make_tree):
    text = FACT.replace('        en: "A fact."', '        fr:\n          text: "Un fait."\n'
                                                  '          state: current\n          en_hash: "0000abcd"')
    err = only_error(make_tree({"GH.yml": text}))
    assert err.file.endswith("GH.yml")
    assert err.field == "facts.jobs[0].text.en"
    assert err.line == line_of(text, "text:")
    assert "English" in err.message


def test_unknown_source_id(make_tree):
    text = FACT.replace("sources: [brief]", "sources:\n        - brief\n        - nowhere")
    err = only_error(make_tree({"GH.yml": text}))
    assert err.file.endswith("GH.yml")
    assert err.field == "facts.jobs[0].sources[1]"
    assert err.line == line_of(text, "- nowhere")
    assert "nowhere" in err.message


def test_unknown_topic(make_tree):
    text = FACT.replace("  jobs:", "  weather:")
    err = only_error(make_tree({"GH.yml": text}))
    assert (err.field, err.line) == ("facts.weather", line_of(text, "weather:"))
    assert err.file.endswith("GH.yml")


def test_bad_date(make_tree):
    text = FACT.replace("last_verified: 2026-11-22", "last_verified: 2026-13-45")
    err = only_error(make_tree({"GH.yml": text}))
    assert err.file.endswith("GH.yml")
    assert (err.field, err.line) == ("facts.jobs[0].last_verified", line_of(text, "last_verified"))
    assert "2026-13-45" in err.message


def test_review_before_verification_is_an_error(make_tree):
    text = FACT.replace("review_by: 2027-05-22", "review_by: 2026-01-01")
    err = only_error(make_tree({"GH.yml": text}))
    assert (err.field, err.line) == ("facts.jobs[0].review_by", line_of(text, "review_by"))


def test_unknown_conflict_id(make_tree):
    text = FACT + "      conflicts_with:\n        - gh-missing\n"
    err = only_error(make_tree({"GH.yml": text}))
    assert err.file.endswith("GH.yml")
    assert (err.field, err.line) == ("facts.jobs[0].conflicts_with[0]", line_of(text, "- gh-missing"))
    assert "gh-missing" in err.message


def test_unknown_source_kind(make_tree, texts):
    text = texts.SOURCES.replace("kind: ngo_civil_society", "kind: blog")
    err = only_error(make_tree({"sources.yml": text}))
    assert err.file.endswith("sources.yml")
    assert (err.field, err.line) == ("sources[1].kind", line_of(text, "kind: blog"))
    assert "blog" in err.message


def test_duplicate_fact_id(make_tree):
    text = FACT.replace("gh-one", "sn-one").replace("GH", "TN")  # sn-one is already in SN.yml
    err = only_error(make_tree({"TN.yml": text}))
    assert err.file.endswith("TN.yml")
    assert (err.field, err.line) == ("facts.jobs[0].id", line_of(text, "id: sn-one"))
    assert "SN.yml" in err.message


def test_unknown_known_through(make_tree, texts):
    text = texts.SOURCES.replace("known_through: brief", "known_through: elsewhere")
    err = only_error(make_tree({"sources.yml": text}))
    assert (err.field, err.line) == ("sources[3].known_through", line_of(text, "known_through"))


def test_unknown_field_is_reported(make_tree):
    text = FACT.replace("review_by: 2027-05-22", "review_by: 2027-05-22\n      reviewed: yes")
    err = only_error(make_tree({"GH.yml": text}))
    assert (err.field, err.line) == ("facts.jobs[0].reviewed", line_of(text, "reviewed"))


def test_derived_translation_state_cannot_be_typed(make_tree):
    text = FACT.replace('        en: "A fact."', f'        en: "A fact."\n        fr:\n          text: "Un fait."\n'
                                                  f'          state: outdated\n          en_hash: "{H1}"')
    err = only_error(make_tree({"GH.yml": text}))
    assert (err.field, err.line) == ("facts.jobs[0].text.fr.state", line_of(text, "state: outdated"))


def test_country_must_match_file_name(make_tree):
    text = FACT.replace("country: GH", "country: GHA")
    err = only_error(make_tree({"GH.yml": text}))
    assert (err.field, err.line) == ("country", 1)


def test_missing_and_outdated_translations_are_warnings(make_tree):
    text = FACT.replace('        en: "A fact."', f'        en: "A fact."\n        fr:\n          text: "Un fait."\n'
                                                  f'          state: current\n          en_hash: "{H1}"')
    report = validate(make_tree({"GH.yml": text}), today=__import__("datetime").date(2026, 11, 22))
    assert report.ok
    gh = {(w.field, w.message.split(" (")[0]) for w in report.warnings if w.file.endswith("GH.yml")}
    assert ("facts.jobs[0].text.fr", "translation outdated") in gh
    assert ("facts.jobs[0].text.ar", "translation missing") in gh


def test_facts_past_review_are_warnings(make_tree):
    from datetime import date

    report = validate(make_tree(), today=date(2026, 11, 22))
    past = [w for w in report.warnings if w.field == "review_by"]
    assert [w.message for w in past] == ["fact sn-three was due for review on 2026-11-21"]


def test_library_load_raises_profile_error_with_located_errors(make_tree):
    text = FACT.replace("  jobs:", "  weather:")
    with pytest.raises(ProfileError) as info:
        Library.load(make_tree({"GH.yml": text}))
    assert [e.field for e in info.value.errors] == ["facts.weather"]
    assert "GH.yml:3" in str(info.value)


def test_missing_directory_is_an_error(tmp_path):
    report = validate(tmp_path / "absent")
    assert not report.ok


CONTACT = FACT.replace("  jobs:", "  consular_contacts:").replace(
    "      review_by: 2027-05-22",
    "      review_by: 2027-05-22\n      contact:\n        email: consulate@example.org\n        host: FR\n        sources: [{id: brief, locator: p. 3}]",
)


def test_a_consular_contact_with_a_sourced_email_loads(make_tree):
    lib = Library.load(make_tree({"GH.yml": CONTACT}))
    (fact,) = lib.facts("GH", "consular_contacts")
    assert fact.fact.contact.email == "consulate@example.org"
    assert fact.fact.contact.host == "FR"
    assert fact.fact.contact.source_refs[0].locator == "p. 3"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (("consulate@example.org", "not-an-address"), "contact.email", "is not an e-mail address"),
        (("host: FR", "host: SN"), "contact.host", "is not a host country"),
        (("sources: [{id: brief, locator: p. 3}]", "sources: [nowhere]"), "contact.sources[0]", "unknown source id"),
        (("        sources: [{id: brief, locator: p. 3}]\n", ""), "contact.sources", "required field is missing"),
        (("  consular_contacts:", "  jobs:"), "contact", "only consular_contacts facts can have a contact"),
    ],
)
def test_a_contact_must_be_a_sourced_email_on_a_consular_fact(make_tree, change, field, message):
    text = CONTACT.replace(*change)
    err = only_error(make_tree({"GH.yml": text}))
    assert err.field.endswith(field), err
    assert message in err.message
    assert err.file.endswith("GH.yml") and err.line is not None
