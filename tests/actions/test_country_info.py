"""Country answers from the real profiles: status in plain words, follow-ups, honest gaps."""
from actions.country_info import ActionCountryInfo
from actions.library import library
from actions.sources import ActionListSources
from tests.actions.conftest import make_tracker


def country(code: str) -> dict:
    return {"entity": "country", "value": code, "start": 0, "end": 1}


def topic(name: str) -> dict:
    return {"entity": "topic", "value": name, "start": 0, "end": 1}


async def test_answer_shows_fact_status_and_month_then_remembers_country(dispatcher, domain) -> None:
    tracker = make_tracker("ask_country_info", entities=[country("SN"), topic("reintegration")], country="SN", topic="reintegration")
    events = await ActionCountryInfo().run(dispatcher, tracker, domain)
    (message,) = dispatcher.messages
    fact = library().facts("SN", "reintegration")[0]
    assert fact.text("en")[0] in message["text"]
    assert "From one source only" in message["text"] or "Confirmed by independent sources" in message["text"]
    assert "checked November 2026" in message["text"]
    assert {"event": "slot", "name": "country", "value": "SN", "timestamp": None} in events
    assert any(b["payload"] == "/ask_sources" for b in message["buttons"])


async def test_follow_up_uses_the_remembered_country(dispatcher, domain) -> None:
    tracker = make_tracker("inform", text="and reception?", entities=[topic("reception")], country="SN", topic="reintegration")
    await ActionCountryInfo().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith("Senegal — Arrival and reception:")


async def test_answer_in_the_users_language(dispatcher, domain) -> None:
    tracker = make_tracker("ask_country_info", entities=[country("SN"), topic("reintegration")], language="fr")
    await ActionCountryInfo().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert text.startswith("Sénégal")
    assert library().facts("SN", "reintegration")[0].text("fr")[0] in text


async def test_missing_country_is_asked_with_buttons_for_profiles(dispatcher, domain) -> None:
    await ActionCountryInfo().run(dispatcher, make_tracker("ask_country_info"), domain)
    (message,) = dispatcher.messages
    assert message["text"] == "Which country is your question about?"
    assert {"title": "Senegal", "payload": '/inform{"country": "SN"}'} in message["buttons"]


async def test_topic_without_verified_facts_is_honest_and_offers_a_counsellor(dispatcher, domain) -> None:
    tracker = make_tracker("ask_country_info", entities=[country("SN"), topic("housing")])
    await ActionCountryInfo().run(dispatcher, tracker, domain)
    (message,) = dispatcher.messages
    assert "no verified information about Housing in Senegal" in message["text"]
    assert message["buttons"][0]["payload"] == "/request_counsellor"


async def test_country_without_profile_is_honest(dispatcher, domain) -> None:
    tracker = make_tracker("ask_country_info", entities=[country("CA"), topic("jobs")])
    await ActionCountryInfo().run(dispatcher, tracker, domain)
    assert "no verified information about Canada" in dispatcher.messages[0]["text"]


async def test_how_do_you_know_lists_the_sources_of_the_last_answer(dispatcher, domain) -> None:
    fact = library().facts("TN", "programmes")[0]
    tracker = make_tracker("ask_sources", last_facts=[fact.id])
    await ActionListSources().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert text.startswith("This information comes from:")
    for source in fact.sources:
        assert source.title in text


async def test_how_do_you_know_before_any_answer(dispatcher, domain) -> None:
    await ActionListSources().run(dispatcher, make_tracker("ask_sources"), domain)
    assert "not given you information" in dispatcher.messages[0]["text"]


async def test_reintegration_answers_include_the_programmes_active_in_the_country(dispatcher, domain) -> None:
    tracker = make_tracker("ask_reintegration_support", entities=[country("CI")])
    await ActionCountryInfo().run(dispatcher, tracker, domain)
    programme = library().facts("CI", "programmes")[0]
    assert programme.text("en")[0] in dispatcher.messages[0]["text"]
