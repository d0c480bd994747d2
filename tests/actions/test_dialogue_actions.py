"""Greeting, misunderstanding, handoff, deletion and report actions."""
import json

from actions.clarify import ActionCountMisunderstandings
from actions.delete_data import ActionDeleteMyData
from actions.greet import ActionSetOrganisation
from actions.handoff import ActionRequestCounsellor
from actions.report_outdated import ActionReportOutdated
from tests.actions.conftest import make_tracker


def user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def test_greeting_names_the_organisation_from_configuration(dispatcher, domain, monkeypatch) -> None:
    monkeypatch.setenv("PASSAGE_ORGANISATION", "Diaspora Help Lyon")
    events = await ActionSetOrganisation().run(dispatcher, make_tracker(), domain)
    assert events == [{"event": "slot", "name": "organisation", "value": "Diaspora Help Lyon", "timestamp": None}]
    assert "{organisation}" in domain["responses"]["utter_greet"][0]["text"]


async def test_first_failure_clarifies_second_offers_a_counsellor(dispatcher, domain) -> None:
    once = make_tracker("nlu_fallback", events=[user("nlu_fallback"), user("greet"), user("nlu_fallback")])
    twice = make_tracker("nlu_fallback", events=[user("greet"), user("nlu_fallback"), user("nlu_fallback")])
    assert (await ActionCountMisunderstandings().run(dispatcher, once, domain))[0]["value"] == "once"
    assert (await ActionCountMisunderstandings().run(dispatcher, twice, domain))[0]["value"] == "twice"


async def test_emergency_handoff_has_priority_and_no_second_message(dispatcher, domain) -> None:
    await ActionRequestCounsellor().run(dispatcher, make_tracker("emergency"), domain)
    (signal,) = dispatcher.messages
    assert signal["custom"] == {"passage": {"handoff": {"priority": "emergency", "reason": "emergency", "summary": {"language": "en"}}}}


async def test_counsellor_request_signals_the_gateway(dispatcher, domain) -> None:
    await ActionRequestCounsellor().run(dispatcher, make_tracker("request_counsellor", country="SN", topic="jobs"), domain)
    handoff = dispatcher.messages[0]["custom"]["passage"]["handoff"]
    assert handoff["priority"] == "normal"
    assert handoff["summary"] == {"language": "en", "country": "SN", "topic": "jobs"}


async def test_deletion_confirms_signals_and_restarts(dispatcher, domain) -> None:
    events = await ActionDeleteMyData().run(dispatcher, make_tracker("affirm"), domain)
    assert dispatcher.messages == [{"text": None, "buttons": [], "elements": [], "custom": {"passage": {"delete": True}}, "template": None, "response": None, "image": None, "attachment": None}]
    assert events == [{"event": "restart", "timestamp": None}]


async def test_outdated_report_keeps_fact_and_words_but_no_user_id(dispatcher, domain, tmp_path, monkeypatch) -> None:
    reports = tmp_path / "reports.jsonl"
    monkeypatch.setenv("PASSAGE_REPORTS_FILE", str(reports))
    tracker = make_tracker("report_outdated", text="this is old, the office closed", country="SN", topic="reception", last_facts=["sn-x"])
    await ActionReportOutdated().run(dispatcher, tracker, domain)
    (record,) = [json.loads(line) for line in reports.read_text().splitlines()]
    assert record["fact_id"] == "sn-x" and record["text"] == "this is old, the office closed"
    assert tracker.sender_id not in reports.read_text()
