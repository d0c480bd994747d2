"""Whole conversations through the running service, in each of the five languages."""
import re
import uuid

import aiohttp
import pytest

pytestmark = pytest.mark.e2e

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
BENGALI_SCRIPT = re.compile(r"[\u0980-\u09ff]")


async def say(service: str, sender: str, text: str) -> dict:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{service}/api/chat", json={"sender": sender, "text": text}) as response:
            assert response.status == 200
            return await response.json()


def in_script(lang: str, text: str) -> bool:
    if lang in ("ar", "fa"):
        return bool(ARABIC_SCRIPT.search(text))
    if lang == "bn":
        return bool(BENGALI_SCRIPT.search(text))
    return not ARABIC_SCRIPT.search(text) and not BENGALI_SCRIPT.search(text)


GREETINGS = {"en": "hello", "fr": "bonjour", "ar": "السلام عليكم", "fa": "سلام، وقت بخیر", "bn": "হ্যালো, নমস্কার"}
COUNTRY_QUESTIONS = {
    "en": "what reintegration support is there in senegal",
    "fr": "quelle aide à la réinsertion au sénégal",
    "ar": "ما هو دعم إعادة الإدماج في السنغال",
    "fa": "برای ادغام مجدد در سنگال چه کمکی هست",
    "bn": "সেনেগালে পুনঃএকীকরণ সহায়তা কী আছে",
}


@pytest.mark.parametrize("lang", list(GREETINGS))
async def test_greeting_is_answered_in_the_users_language(service, lang: str) -> None:
    reply = await say(service, f"greet-{lang}-{uuid.uuid4()}", GREETINGS[lang])
    assert reply["language"] == lang
    assert reply["intent"]["name"] == "greet"
    notice, greeting = reply["messages"]  # first contact: the privacy notice comes first
    assert in_script(lang, notice["text"]) and "30" in notice["text"].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹০১২৩৪৫৬৭৮৯", "01234567890123456789"))
    assert in_script(lang, greeting["text"])
    assert ("not legal advice" in greeting["text"]) == (lang == "en")
    assert len(greeting["buttons"]) >= 3


@pytest.mark.parametrize("lang", list(COUNTRY_QUESTIONS))
async def test_country_question_gets_the_profile_fact_with_its_status(service, lang: str) -> None:
    sender = f"country-{lang}-{uuid.uuid4()}"
    reply = await say(service, sender, COUNTRY_QUESTIONS[lang])
    assert {"entity": "country", "value": "SN"} in reply["entities"]
    text = reply["messages"][-1]["text"]
    assert in_script(lang, text)
    assert "•" in text  # at least one fact
    assert any(year in text for year in ("2026", "۲۰۲۶", "٢٠٢٦", "২০২৬"))  # the month it was last checked


async def test_follow_up_remembers_the_country_and_sources_are_listed(service) -> None:
    sender = f"follow-{uuid.uuid4()}"
    await say(service, sender, "what reintegration support is there in senegal")
    follow = await say(service, sender, "and reception?")
    assert follow["messages"][-1]["text"].startswith("Senegal — Arrival and reception")
    sources = await say(service, sender, "how do you know?")
    assert sources["messages"][-1]["text"].startswith("This information comes from:")
    assert "Migration Policy Institute" in sources["messages"][-1]["text"]


REFUSALS = {
    "en": "my asylum claim got rejected",
    "fr": "on m'a refusé l'asile",
    "ar": "رفضوا طلب لجوئي",
    "fa": "جواب پناهندگیم منفی اومد",
    "bn": "আমার অ্যাসাইলাম কেস রিজেক্ট করে দিছে",
}


@pytest.mark.parametrize("lang", list(REFUSALS))
async def test_a_refusal_without_a_question_gets_the_legal_options(service, lang: str) -> None:
    """Not "which country?": someone who was just refused needs their options and a counsellor."""
    reply = await say(service, f"refused-{lang}-{uuid.uuid4()}", REFUSALS[lang])
    assert reply["intent"]["name"] == "ask_legal_options"
    assert in_script(lang, reply["messages"][-1]["text"])
    assert "/request_counsellor" in [b["payload"] for b in reply["messages"][-1]["buttons"]]


async def test_two_misunderstandings_in_a_row_offer_a_counsellor(service) -> None:
    sender = f"fallback-{uuid.uuid4()}"
    first = await say(service, sender, "qqqq zzzz")
    second = await say(service, sender, "wxq pfft")
    assert first["intent"]["name"] == second["intent"]["name"] == "nlu_fallback"
    assert "/ask_legal_options" in [b["payload"] for b in first["messages"][-1]["buttons"]]
    assert any(b["payload"] == "/request_counsellor" for b in second["messages"][-1]["buttons"])


async def test_counsellor_request_and_emergency_signal_a_handoff(service) -> None:
    normal = await say(service, f"h-{uuid.uuid4()}", "I want to talk to a real person")
    assert normal["handoff"]["priority"] == "normal"
    urgent = await say(service, f"h-{uuid.uuid4()}", "a man is beating me, I am in danger")
    assert urgent["handoff"]["priority"] == "emergency"
    assert any("112" in m["text"] for m in urgent["messages"])


async def test_explicit_language_request_switches_and_sticks(service) -> None:
    sender = f"lang-{uuid.uuid4()}"
    await say(service, sender, "bonjour, je cherche des informations")
    switched = await say(service, sender, "parle-moi en anglais")
    assert switched["language"] == "en"
    assert switched["messages"][-1]["text"] == "OK, I will write in English."
    after = await say(service, sender, "je voudrais parler à un conseiller")
    assert after["language"] == "en"
