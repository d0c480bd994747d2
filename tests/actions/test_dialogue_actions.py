"""Greeting, clarification, handoff, deletion and reports, as a user would see them."""
import json

from actions.clarify import ActionClarify
from actions.delete_data import ActionDeleteMyData
from actions.greet import ActionGreet
from actions.handoff import ActionRequestCounsellor
from actions.report_outdated import ActionReportOutdated
from tests.actions.conftest import make_tracker


def user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def test_greeting_names_the_organisation_from_configuration(dispatcher, domain, monkeypatch) -> None:
    monkeypatch.setenv("PASSAGE_ORGANISATION", "Diaspora Help Lyon")
    await ActionGreet().run(dispatcher, make_tracker(), domain)
    assert dispatcher.messages[0]["response"] == "utter_greet"
    assert dispatcher.messages[0]["organisation"] == "Diaspora Help Lyon"


async def test_first_failure_clarifies_second_offers_a_counsellor(dispatcher, domain) -> None:
    once = make_tracker("nlu_fallback", events=[user("greet"), user("nlu_fallback")])
    await ActionClarify().run(dispatcher, once, domain)
    twice = make_tracker("nlu_fallback", events=[user("nlu_fallback"), user("nlu_fallback")])
    await ActionClarify().run(dispatcher, twice, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_clarify", "utter_offer_counsellor"]


async def test_emergency_handoff_has_priority_and_no_second_message(dispatcher, domain) -> None:
    await ActionRequestCounsellor().run(dispatcher, make_tracker("emergency"), domain)
    (signal,) = dispatcher.messages
    assert signal["custom"] == {"passage": {"handoff": {"priority": "emergency", "reason": "emergency"}}}


async def test_counsellor_request_tells_the_user_and_signals_the_gateway(dispatcher, domain) -> None:
    await ActionRequestCounsellor().run(dispatcher, make_tracker("request_counsellor"), domain)
    assert dispatcher.messages[0]["response"] == "utter_counsellor_requested"
    assert dispatcher.messages[1]["custom"]["passage"]["handoff"]["priority"] == "normal"


async def test_deletion_confirms_signals_and_restarts(dispatcher, domain) -> None:
    events = await ActionDeleteMyData().run(dispatcher, make_tracker("affirm"), domain)
    assert dispatcher.messages[0]["response"] == "utter_deleted"
    assert dispatcher.messages[1]["custom"] == {"passage": {"delete": True}}
    assert events == [{"event": "restart", "timestamp": None}]


async def test_outdated_report_keeps_fact_and_words_but_no_user_id(dispatcher, domain, tmp_path, monkeypatch) -> None:
    reports = tmp_path / "reports.jsonl"
    monkeypatch.setenv("PASSAGE_REPORTS_FILE", str(reports))
    tracker = make_tracker("report_outdated", text="this is old, the office closed", country="SN", topic="reception", last_facts=["sn-x"])
    await ActionReportOutdated().run(dispatcher, tracker, domain)
    (record,) = [json.loads(line) for line in reports.read_text().splitlines()]
    assert record["fact_id"] == "sn-x" and record["text"] == "this is old, the office closed"
    assert tracker.sender_id not in reports.read_text()
    assert dispatcher.messages[0]["response"] == "utter_report_thanks"
