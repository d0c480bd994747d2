"""Language is detected, never asked: script, stickiness, channel hint and explicit requests."""
import pytest

from bot.language import detect, explicit_request


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I lost my passport, what can I do?", "en"),
        ("je veux rentrer au senegal", "fr"),
        ("أريد العودة إلى بلدي", "ar"),
        ("می خواهم برگردم به افغانستان", "fa"),
        ("آیا در ایران کار پیدا می‌کنم؟", "fa"),
        ("আমি দেশে ফিরতে চাই", "bn"),
        ("salam 3andi mochkil m3a lwra9", "ar"),  # Arabizi
        ("salam mikhastam bargardam iran", "fa"),  # Finglish
        ("ami deshe jete chai", "bn"),  # Banglish
    ],
)
def test_first_message_language(text: str, expected: str) -> None:
    assert detect(text).language == expected


@pytest.mark.parametrize(
    ("text", "previous"),
    [("ok", "fr"), ("merci", "en"), ("ممنون", "fr"), ("ok", "bn"), ("👍", "fa"), ("thanks", "ar"), ("oui", "en")],
)
def test_one_ambiguous_word_does_not_flip_the_conversation(text: str, previous: str) -> None:
    assert detect(text, previous=previous).language == previous


def test_a_real_sentence_in_another_language_does_switch() -> None:
    assert detect("bonjour je voudrais parler avec quelqu'un", previous="en").language == "fr"
    assert detect("আমি সেনেগাল থেকে এসেছি", previous="en").language == "bn"


def test_script_separates_persian_from_arabic_even_when_sticky() -> None:
    assert detect("من از افغانستان هستم و کمک می‌خواهم", previous="ar").language == "fa"
    assert detect("أنا من العراق وأحتاج مساعدة في الأوراق", previous="fa").language == "ar"


def test_channel_hint_decides_an_ambiguous_first_message() -> None:
    assert detect("سلام", hint="fa").language == "fa"
    assert detect("سلام", hint="ar").language == "ar"
    assert detect("salam", hint="bn-BD").language == "bn"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("parle-moi en anglais", "en"),
        ("in Arabic please", "ar"),
        ("بالعربي", "ar"),
        ("فارسی بنویس", "fa"),
        ("বাংলায় বলো", "bn"),
        ("en français svp", "fr"),
    ],
)
def test_explicit_request_switches_and_sticks(text: str, expected: str) -> None:
    decision = detect(text, previous="en" if expected != "en" else "fr")
    assert decision.language == expected and decision.explicit
    # sticks: a following message in another language does not change it
    assert detect("je veux rentrer chez moi maintenant", previous=expected, locked=True).language == expected


def test_a_language_mentioned_in_passing_is_not_a_request() -> None:
    assert explicit_request("my brother speaks French and lives in Paris with his family since last year") is None
    assert detect("I am from Bangladesh and I need help with papers").language == "en"


def test_button_payloads_keep_the_language() -> None:
    assert detect("/ask_legal_options", previous="fa").language == "fa"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no money", "en"),  # "no" is a cue word, not YAML's boolean false
        ("mercii beaucoup", "fr"),  # a held-down key still matches "merci"
        ("kagoj nai", "bn"),
        ("madrak nadaram", "fa"),
        ("3afak khoya", "ar"),
        ("visa nai", "bn"),  # an English loanword does not outweigh a Banglish word
        ("واش كاين شي حل", "ar"),  # Darija without any Arabic-only letter
        ("il y a des medecins a Dakar", "fr"),
    ],
)
def test_short_and_romanised_first_messages(text: str, expected: str) -> None:
    assert detect(text).language == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bonjour خويا", "ar"),  # more Latin letters than Arabic ones: the Arabic word decides
        ("ok merci ممنونم", "fa"),
        ("hello ভাই kemon acho", "bn"),
        ("thanks ❤️", "en"),  # the emoji's variation selector (U+FE0F) is not an Arabic letter
        ("merci ☺️", "fr"),
    ],
)
def test_a_word_in_arabic_or_bengali_script_decides_a_mixed_message(text: str, expected: str) -> None:
    assert detect(text).language == expected


def test_a_cue_list_with_an_unquoted_yes_or_no_is_refused(tmp_path, monkeypatch) -> None:
    import bot.language as language

    cues = tmp_path / "cues.yml"
    cues.write_text(
        "latin_words: {en: [no]}\narabic_script_words: {fa: [], ar: []}\nlanguage_names: {}\nrequest_words: []\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(language, "CUES_FILE", cues)
    language._cues.cache_clear()
    try:
        with pytest.raises(ValueError, match="quote"):
            language._cues()
    finally:
        language._cues.cache_clear()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("info verifiee?", "fr"), ("cheap phone under 100 euro", "en")],  # langdetect alone: en, fr
)
def test_with_no_cue_word_it_goes_by_how_passages_users_write(text: str, expected: str) -> None:
    assert detect(text).language == expected


def test_without_training_data_beside_it_the_gateway_still_decides(monkeypatch, tmp_path) -> None:
    import bot.language
    import bot.language_model

    caches = (bot.language._model, bot.language._texts_in_script, bot.language._words_of_one_language, bot.language._training_texts)
    monkeypatch.setattr(bot.language, "training_texts", lambda langs: bot.language_model.training_texts(langs, tmp_path))
    for cache in caches:
        cache.cache_clear()
    try:
        assert detect("je veux rentrer au senegal").language == "fr"
        assert detect("cheap phone under 100 euro").language in ("en", "fr")
        assert detect("recommend a movie").language in ("en", "fr")
    finally:
        for cache in caches:
            cache.cache_clear()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nemikham", "fa"),  # Finglish without a cue word: the model is sure of it
        ("kodum film khube", "fa"),
        ("police mifahme?", "fa"),
        ("appeal kora jabe?", "bn"),  # one English word does not outweigh a message the model is sure is Banglish
        ("pasport nai", "bn"),  # a Finglish-looking and a Banglish cue word: the model breaks the tie
        ("kar dar kabul", "fa"),
    ],
)
def test_a_short_romanised_first_message_is_answered_in_its_language(text: str, expected: str) -> None:
    assert detect(text).language == expected


@pytest.mark.parametrize("text", ["ok", "cya", "ya ok", "hii", "ok bye", "thx"])
def test_english_chat_shorthand_cold_stays_english(text: str) -> None:
    # Short strings like these look like Arabizi or Banglish to a letter model; they must not flip.
    assert detect(text).language == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on me frappe", "fr"),  # "me" and "on" are French words as much as English ones
        ("eligible a l'arv", "fr"),  # an elided article, and "éligible" is French too
        ("merci jai compris", "fr"),  # "jai" is how French speakers type j'ai, not only Banglish "I go"
        ("c’est bon", "fr"),  # a phone's curly apostrophe
        ("sénégal", "fr"),  # an accent English does not use
        ("help me", "en"),
    ],
)
def test_french_and_english_short_messages(text: str, expected: str) -> None:
    assert detect(text).language == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ethiopie", "fr"), ("erythree", "fr"), ("inde", "fr"), ("ethiopia", "en"), ("lebanon", "en"), ("chad", "en")],
)
def test_a_country_name_alone_is_answered_in_the_language_that_spells_it_so(text: str, expected: str) -> None:
    assert detect(text).language == expected


@pytest.mark.parametrize("text", ["titre de séjour kifach nakhdo", "réintégration kifach", "ana refusé wach kayn recours"])
def test_darija_keeps_its_french_words_without_turning_french(text: str) -> None:
    assert detect(text).language == "ar"


@pytest.mark.parametrize(
    "text, expected",
    [("recommend a movie", "en"), ("consular services", "en"), ("allez bye", "fr")],
)
def test_a_word_only_one_language_uses_outweighs_the_look_of_its_letters(text: str, expected: str) -> None:
    # "recommend" looks French letter by letter ("omme"); only English messages use the word.
    assert detect(text).language == expected


@pytest.mark.parametrize("text, expected", [("لازم نیست", "fa"), ("مواظب خودت باش", "fa")])
def test_persian_words_outweigh_a_word_both_write(text: str, expected: str) -> None:
    assert detect(text).language == expected


@pytest.mark.parametrize("text", ["mangi dem", "ba beneen yoon", "pasport svp"])
def test_wolof_and_a_french_word_beside_a_shared_one_are_answered_in_french(text: str) -> None:
    # Passage's Wolof-speaking users read French; "pasport" is typed in every language.
    assert detect(text).language == "fr"
