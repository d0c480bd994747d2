"""The custom Rasa components on real Rasa Message objects."""
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_ext.entity_matcher import LANGUAGE_HINT, GazetteerEntityExtractor
from rasa_ext.text_normaliser import TextNormaliser


def test_extractor_adds_country_and_topic_once_even_when_run_twice() -> None:
    message = Message(data={TEXT: "is it safe in mali?"})
    extractor = GazetteerEntityExtractor()
    extractor.process([message])
    extractor.process([message])
    entities = message.get(ENTITIES)
    assert [(e["entity"], e["value"]) for e in entities] == [("topic", "security"), ("country", "ML")]
    assert all(e["extractor"] == "GazetteerEntityExtractor" for e in entities)


def test_gateway_language_decision_becomes_the_language_entity() -> None:
    message = Message(data={TEXT: "parle-moi en anglais", METADATA: {"language": "fr"}})
    GazetteerEntityExtractor().process([message])
    languages = [e for e in message.get(ENTITIES) if e["entity"] == "language"]
    assert languages == [{"entity": "language", "value": "fr", "start": 0, "end": 0, "confidence": 1.0, "extractor": LANGUAGE_HINT}]


def test_without_metadata_a_named_language_is_extracted() -> None:
    message = Message(data={TEXT: "parle-moi en anglais"})
    GazetteerEntityExtractor().process([message])
    assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [("language", "en")]


def test_normaliser_folds_text_for_the_featurizers() -> None:
    message = Message(data={TEXT: "SÉNÉGAL می‌خواهم"})
    TextNormaliser().process([message])
    assert message.get(TEXT) == "senegal مي خواهم"


def test_a_short_follow_up_naming_a_topic_is_inform_instead_of_fallback_or_a_guess() -> None:
    from rasa.shared.nlu.constants import INTENT

    from rasa_ext.entity_only_inform import EntityOnlyInform

    follow_up = Message(data={TEXT: "and reception?", INTENT: {"name": "nlu_fallback", "confidence": 0.25}})
    unsure = Message(data={TEXT: "et la santé ?", INTENT: {"name": "check_eligibility", "confidence": 0.25}})
    sure = Message(data={TEXT: "senegal eligible?", INTENT: {"name": "check_eligibility", "confidence": 0.9}})
    gibberish = Message(data={TEXT: "qqqq zzzz", INTENT: {"name": "nlu_fallback", "confidence": 0.25}})
    long_text = Message(data={TEXT: "my cousin works at the airport reception desk in Paris", INTENT: {"name": "nlu_fallback", "confidence": 0.25}})
    for message in (follow_up, gibberish, long_text, unsure, sure):
        GazetteerEntityExtractor().process([message])
    EntityOnlyInform().process([follow_up, gibberish, long_text, unsure, sure])
    assert follow_up.get(INTENT)["name"] == "inform"
    assert unsure.get(INTENT)["name"] == "inform"
    assert sure.get(INTENT)["name"] == "check_eligibility"
    assert gibberish.get(INTENT)["name"] == "nlu_fallback"
    assert long_text.get(INTENT)["name"] == "nlu_fallback"


def test_a_bare_country_or_topic_name_taken_for_small_talk_or_out_of_scope_is_inform() -> None:
    from rasa.shared.nlu.constants import INTENT

    from rasa_ext.entity_only_inform import EntityOnlyInform

    country = Message(data={TEXT: "নাইজেরিয়া", INTENT: {"name": "deny", "confidence": 0.53}})
    topic = Message(data={TEXT: "housing!", INTENT: {"name": "affirm", "confidence": 0.7}})
    answer = Message(data={TEXT: "yes senegal", INTENT: {"name": "affirm", "confidence": 0.9}})
    arabizi = Message(data={TEXT: "dzayer", INTENT: {"name": "out_of_scope", "confidence": 0.4}})
    for message in (country, topic, answer, arabizi):
        GazetteerEntityExtractor().process([message])
    EntityOnlyInform().process([country, topic, answer, arabizi])
    assert country.get(INTENT)["name"] == "inform"
    assert arabizi.get(INTENT)["name"] == "inform"
    assert [(e["entity"], e["value"]) for e in arabizi.get(ENTITIES)] == [("country", "DZ")]
    assert topic.get(INTENT)["name"] == "inform"
    assert answer.get(INTENT)["name"] == "affirm"  # a yes that names a country is still a yes


def test_a_question_mark_reaches_the_featurizers_as_a_token() -> None:
    from rasa_ext.question_tokenizer import QUESTION_TOKEN, QuestionMarkTokenizer

    tokenizer = QuestionMarkTokenizer(QuestionMarkTokenizer.get_default_config())
    asked, named, latin = (Message(data={TEXT: t}) for t in ("حلب آمنة؟", "حلب آمنة", "safe? and jobs"))
    tokenizer.process([asked, named, latin])
    words = {m.get(TEXT): [t.text for t in m.get("text_tokens")] for m in (asked, named, latin)}
    assert words == {"حلب آمنة؟": ["حلب", "آمنة", QUESTION_TOKEN], "حلب آمنة": ["حلب", "آمنة"], "safe? and jobs": ["safe", QUESTION_TOKEN, "and", "jobs"]}
