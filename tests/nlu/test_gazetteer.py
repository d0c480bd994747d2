"""Countries, topics and languages found in what people type, normalised to codes."""
import pytest

from rasa_ext.gazetteer import default_gazetteer
from rasa_ext.normalise import fold


def found(text: str) -> set[tuple[str, str]]:
    return {(m.entity, m.value) for m in default_gazetteer().find(text)}


@pytest.mark.parametrize(
    "text",
    ["Sénégal", "je viens du senegal", "السنغال", "أنا من السنغال", "سنگال", "من از سنگال هستم", "সেনেগাল থেকে", "back home in Dakar", "SENEGAL"],
)
def test_senegal_in_every_language_and_by_its_capital(text: str) -> None:
    assert ("country", "SN") in found(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("cote d'ivoire", "CI"), ("Côte d’Ivoire", "CI"), ("ivory coast", "CI"), ("the gambia", "GM"), ("kosovo", "XK"),
        ("بالعراق", "IQ"), ("ঢাকায়", "BD"), ("burkina faso", "BF"), ("Addis Ababa", "ET"), ("je suis en Allemagne", "DE"),
    ],
)
def test_other_countries_cities_and_clitics(text: str, code: str) -> None:
    assert ("country", code) in found(text)


def test_topics_and_languages() -> None:
    assert found("hospitals in Bamako") == {("topic", "health"), ("country", "ML")}
    assert ("topic", "jobs") in found("ঢাকায় চাকরি")
    assert found("parle-moi en anglais") == {("language", "en")}
    assert found("بالعربي لو سمحت") == {("language", "ar")}
    assert found("বাংলায় বলো") == {("language", "bn")}


def test_ordinary_words_are_not_places() -> None:
    # "مالی" alone is Mali; in "کمک مالی" (financial help) it is an ordinary word
    assert found("کمک مالی میخوام") == set()
    assert ("country", "ML") in found("من از مالی هستم")
    assert found("i want to go home") == set()
    # a Dublin case is about the EU's asylum rules, not a wish to go to Ireland
    for text in ["can people with dublin get return help", "je suis dubliné", "با دوبلین میشه درخواست داد؟", "عندي دبلن في المانيا"]:
        assert ("country", "IE") not in found(text)
    assert ("country", "DE") in found("عندي دبلن في المانيا")
    assert ("country", "IE") in found("i am in ireland")


@pytest.mark.parametrize(
    ("text", "code"),
    [("সিলেটে কাজ পাওয়া যায়?", "BD"), ("je viens de kaolack", "SN"), ("man az ghazni hastam", "AF"), ("انا من الحسيمة", "MA"), ("ادلب", "SY")],
)
def test_home_towns_smaller_than_a_capital_are_found(text: str, code: str) -> None:
    assert ("country", code) in found(text)


@pytest.mark.parametrize(
    "text",
    ["man vajed sharayet hastam?", "vous gardez mes donnees", "ah safi", "کسایی که تازه رسیدن هم میتونن؟", "في ناس برا الباب", "ضايع ف المدينة", "গান গাও"],
)
def test_town_names_that_are_ordinary_words_are_not_places(text: str) -> None:
    assert not {value for entity, value in found(text) if entity == "country"}


def test_entity_offsets_point_into_the_original_text() -> None:
    text = "Je viens du Sénégal"
    (match,) = default_gazetteer().find(text)
    assert text[match.start : match.end] == "Sénégal"


def test_folding_keeps_length_and_unifies_letter_forms() -> None:
    for text in ["Sénégal", "می‌خواهم", "كيف", "১২৩", "Straße"]:
        assert len(fold(text)) == len(text)
    assert fold("ی") == fold("ي") and fold("ک") == fold("ك")
    assert fold("SÉNÉGAL") == "senegal"
    assert fold("۱۲۳") == "123"
