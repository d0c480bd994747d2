"""The screening form, its result, stopping, the legal options, the plan and the consent to share."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from actions import settings
from actions.eligibility_result import SHARE_PAYLOAD, ActionEligibilityResult
from actions.handoff import ActionRequestCounsellor
from actions.legal_options import ActionLegalOptions
from actions.return_plan import ActionReturnPlan
from actions.screening import (
    SCREENING_SLOTS,
    ActionAskSituation,
    ActionStartScreening,
    ActionStopScreening,
    ValidateEligibilityForm,
)
from tests.actions.conftest import make_tracker

REPO = Path(__file__).resolve().parents[2]
ANSWERED = {"host_country": "DE", "origin_country": "SN", "situation": "claim_refused", "vulnerability": "none",
            "travel_document": "expired", "return_decision": "yes"}


def slot_event(name: str, value) -> dict:
    return {"event": "slot", "name": name, "value": value}


def test_situation_slots_are_only_ever_filled_inside_the_form() -> None:
    slots = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))["slots"]
    for name in ("origin_country", "situation", "vulnerability", "travel_document", "return_decision"):
        for mapping in slots[name]["mappings"]:
            assert mapping["conditions"] == [{"active_loop": "eligibility_form", "requested_slot": name}], name
    assert not any(s in slots for s in ("legal_status", "status"))


async def test_every_question_can_be_skipped_or_stopped(dispatcher, domain) -> None:
    await ActionAskSituation().run(dispatcher, make_tracker(language="fr"), domain)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads[-2:] == ["/skip_question", "/stop_screening"]
    assert '/inform{"situation": "trafficking"}' in payloads


async def test_starting_again_clears_earlier_answers(dispatcher, domain) -> None:
    events = await ActionStartScreening().run(dispatcher, make_tracker(**ANSWERED), domain)
    assert {(e["name"], e["value"]) for e in events} == {(s, None) for s in SCREENING_SLOTS}


async def test_stop_discards_every_answer_and_ends_the_form(dispatcher, domain) -> None:
    tracker = make_tracker("stop_screening", country="SN", **ANSWERED)
    events = await ActionStopScreening().run(dispatcher, tracker, domain)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    cleared = {e["name"] for e in events if e.get("event") == "slot" and e["value"] is None}
    assert cleared >= {*SCREENING_SLOTS, "requested_slot", "country"}
    assert "deleted" in dispatcher.messages[0]["text"]


async def test_a_country_named_as_home_is_not_taken_as_the_country_of_origin(dispatcher, domain) -> None:
    events = [slot_event("country", "SN"), {"event": "user", "text": "Germany"}, slot_event("country", "DE")]
    tracker = make_tracker("inform", events=events, country="DE", host_country="DE", requested_slot="host_country")
    result = await ValidateEligibilityForm().validate_host_country("DE", dispatcher, tracker, domain)
    assert result == {"host_country": "DE", "country": "SN"}


async def test_only_offered_answers_are_kept(dispatcher, domain) -> None:
    form = ValidateEligibilityForm()
    tracker = make_tracker("inform")
    assert await form.validate_situation("claim_refused", dispatcher, tracker, domain) == {"situation": "claim_refused"}
    assert await form.validate_situation("illegal", dispatcher, tracker, domain) == {"situation": None}
    assert await form.validate_travel_document("skipped", dispatcher, tracker, domain) == {"travel_document": "skipped"}
    assert await form.validate_origin_country("sn", dispatcher, tracker, domain) == {"origin_country": "SN", "country": "SN"}


async def test_result_names_programmes_decision_alternatives_and_a_consenting_counsellor(dispatcher, domain) -> None:
    await ActionEligibilityResult().run(dispatcher, make_tracker(**ANSWERED), domain)
    message = dispatcher.messages[0]
    assert "REAG/GARP" in message["text"] and "whose asylum claim was refused" in message["text"]
    assert "The decision is yours alone" in message["text"] and "legal advice" in message["text"]
    assert "deadline" in message["text"]
    assert message["buttons"][0]["payload"] == SHARE_PAYLOAD


async def test_no_verified_criteria_says_so_and_offers_a_counsellor(dispatcher, domain) -> None:
    await ActionEligibilityResult().run(dispatcher, make_tracker(host_country="NL", situation="no_permit"), domain)
    message = dispatcher.messages[0]
    assert "no verified criteria" in message["text"]
    assert any(b["payload"].startswith("/request_counsellor") for b in message["buttons"])


async def test_counsellor_sees_the_screening_only_with_consent(dispatcher, domain) -> None:
    consent = [{"entity": "consent", "value": "share_screening"}]
    await ActionRequestCounsellor().run(dispatcher, make_tracker("request_counsellor", entities=consent, **ANSWERED), domain)
    await ActionRequestCounsellor().run(dispatcher, make_tracker("request_counsellor", **ANSWERED), domain)
    with_consent, without = (m["custom"]["passage"]["handoff"]["summary"] for m in dispatcher.messages)
    assert with_consent["screening"] == ANSWERED
    assert "screening" not in without


async def test_legal_options_ask_for_the_host_then_answer_for_it(dispatcher, domain) -> None:
    assert await ActionLegalOptions().run(dispatcher, make_tracker("ask_legal_options"), domain) == []
    assert len(dispatcher.messages[0]["buttons"]) == 9  # eight hosts and a counsellor
    lives_in = [{"entity": "country", "value": "DE"}]
    events = [slot_event("country", "GH"), {"event": "user", "text": "i live in germany"}, slot_event("country", "DE")]
    tracker = make_tracker("ask_legal_options", entities=lives_in, events=events, country="DE")
    result = await ActionLegalOptions().run(dispatcher, tracker, domain)
    text = dispatcher.messages[1]["text"]
    assert "Germany" in text and "2 weeks" in text and "not legal advice" in text and "Deadlines matter" in text
    assert {"event": "slot", "name": "country", "value": "GH", "timestamp": None} in result
    assert {"event": "slot", "name": "host_country", "value": "DE", "timestamp": None} in result


async def test_legal_options_without_verified_legal_aid_say_so(dispatcher, domain) -> None:
    await ActionLegalOptions().run(dispatcher, make_tracker("ask_legal_options", host_country="ES"), domain)
    assert "no verified contact for free legal advice in Spain" in dispatcher.messages[0]["text"]


@pytest.mark.skipif(importlib.util.find_spec("uharfbuzz") is None or not (settings.fonts_dir() / "NotoSans-Regular.ttf").exists(),
                    reason="needs uharfbuzz and Debian's fonts-noto-core")
async def test_plan_message_and_pdf(dispatcher, domain, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PASSAGE_PLANS_DIR", str(tmp_path))
    events = await ActionReturnPlan().run(dispatcher, make_tracker("request_return_plan", **ANSWERED, language="fr"), domain)
    text = dispatcher.messages[0]["text"]
    (pdf,) = tmp_path.glob("*.pdf")
    assert f"/plans/{pdf.name}" in text and len(pdf.stem) >= 20
    assert "Plan de préparation au retour : Sénégal" in text and "Vos autres options" in text
    assert {"event": "slot", "name": "country", "value": "SN", "timestamp": None} in events


async def test_plan_asks_for_the_country_when_unknown(dispatcher, domain, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PASSAGE_PLANS_DIR", str(tmp_path))
    await ActionReturnPlan().run(dispatcher, make_tracker("request_return_plan"), domain)
    assert dispatcher.messages[0]["buttons"][0]["payload"].startswith("/request_return_plan{")
    assert not list(tmp_path.iterdir())


async def test_plan_without_fonts_is_sent_as_a_message_only(dispatcher, domain, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PASSAGE_PLANS_DIR", str(tmp_path))
    monkeypatch.setenv("PASSAGE_FONTS_DIR", str(tmp_path / "no-fonts"))
    await ActionReturnPlan().run(dispatcher, make_tracker("request_return_plan", **ANSWERED), domain)
    assert "Return preparation plan: Senegal" in dispatcher.messages[0]["text"]
    assert "/plans/" not in dispatcher.messages[0]["text"] and not list(tmp_path.glob("*.pdf"))
