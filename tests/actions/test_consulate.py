"""request_consulate from the action server's side: what a consulate is, verified contacts or an honest
gap, and a referral preview only where a sourced e-mail address exists.

The real profiles have no consular e-mail address (none could be sourced), so the referral tests use
a copy of them with one clearly fake example.org address, cited to a source that says it is a fixture.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from actions.consulate import ActionConsularReferral, ActionConsulateInfo, referral_digest
from actions.library import library
from actions.texts import text
from tests.actions.conftest import make_tracker

ROOT = Path(__file__).resolve().parents[2]
FAKE = "consulate-tn@example.org"
FIXTURE_SOURCE = """
  - id: test_fixture_contact
    title: "Test fixture: not a real source, not a real address"
    publisher: Passage tests
    kind: origin_government
    published: "2026"
"""
CONTACT = f"""      contact:
        email: {FAKE}
        host: FR
        sources: [test_fixture_contact]
"""


@pytest.fixture
def profiles_with_contact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "profiles"
    shutil.copytree(ROOT / "country_profiles", root)
    sources = root / "sources.yml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("sources:\n", "sources:" + FIXTURE_SOURCE, 1), encoding="utf-8")
    profile = root / "TN.yml"
    body = profile.read_text(encoding="utf-8")
    start = body.index("tn-consular-social-attaches")
    end = body.index("      review_by: ", start)
    end = body.index("\n", end) + 1
    profile.write_text(body[:end] + CONTACT + body[end:], encoding="utf-8")
    monkeypatch.setenv("PASSAGE_PROFILES_DIR", str(root))
    assert library().facts("TN", "consular_contacts")[0].fact.contact.email == FAKE
    return root


def texts_of(dispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages if m.get("text")]


def signals(dispatcher) -> list[dict]:
    return [m["custom"]["passage"] for m in dispatcher.messages if m.get("custom")]


async def test_explains_the_consulate_and_is_honest_without_a_verified_contact(dispatcher, domain) -> None:
    events = await ActionConsulateInfo().run(dispatcher, make_tracker("request_consulate", country="SN"), domain)
    what, gap = texts_of(dispatcher)
    assert what == text("en", "consulate.what")
    assert "travel documents" in what and "does not decide whether you can stay" in what and "without your explicit consent" in what
    assert gap == text("en", "consulate.no_contact", country="Senegal")
    assert dispatcher.messages[-1]["buttons"] == [{"title": "Talk to a counsellor", "payload": "/request_counsellor"}]
    assert signals(dispatcher) == [] and "@" not in " ".join(texts_of(dispatcher))
    assert {"event": "slot", "name": "consular_referral", "value": None, "timestamp": None} in events


async def test_shows_the_verified_consular_facts_but_offers_no_referral_without_an_address(dispatcher, domain) -> None:
    await ActionConsulateInfo().run(dispatcher, make_tracker("request_consulate", country="TN", language="fr"), domain)
    _, facts = texts_of(dispatcher)
    fact = library().facts("TN", "consular_contacts")[0]
    assert fact.text("fr")[0] in facts
    assert text("fr", "consulate.no_address") in facts
    assert signals(dispatcher) == []
    assert not any(b["payload"].startswith("/affirm") for m in dispatcher.messages for b in m.get("buttons", []))


async def test_without_a_country_asks_which_one(dispatcher, domain) -> None:
    await ActionConsulateInfo().run(dispatcher, make_tracker("request_consulate"), domain)
    assert {"title": "Senegal", "payload": '/request_consulate{"country": "SN"}'} in dispatcher.messages[-1]["buttons"]


async def test_a_sourced_address_gets_a_word_for_word_preview_and_a_yes_no_question(dispatcher, domain, profiles_with_contact) -> None:
    tracker = make_tracker("request_consulate", country="TN", host_country="FR")
    events = await ActionConsulateInfo().run(dispatcher, tracker, domain)
    (offer,) = [s["consular_offer"] for s in signals(dispatcher)]
    shown = texts_of(dispatcher)
    assert offer["to"] == FAKE and offer["text"] in shown  # the exact e-mail is a message of its own
    assert offer["digest"] == referral_digest(FAKE, offer["text"])
    body = offer["text"]
    assert "Country of origin: Tunisia (TN)" in body and "Country where the person is now: France (FR)" in body
    assert "Language of the person: English" in body and "travel document" in body and "reply" in body
    assert tracker.sender_id not in body and "we-0123" not in body
    assert f"E-mail for people in France: {FAKE}" in shown[1]
    yes, no = dispatcher.messages[-1]["buttons"]
    assert yes["payload"] == f'/affirm{{"consent": "consular_referral:{offer["digest"]}"}}' and no["payload"] == "/deny"
    slot = next(e for e in events if e["name"] == "consular_referral")["value"]
    assert slot == {"to": FAKE, "text": body, "digest": offer["digest"], "fact": "tn-consular-social-attaches"}


async def test_an_address_for_another_host_country_is_neither_shown_nor_offered(dispatcher, domain, profiles_with_contact) -> None:
    await ActionConsulateInfo().run(dispatcher, make_tracker("request_consulate", country="TN", host_country="DE", language="ar"), domain)
    assert signals(dispatcher) == [] and FAKE not in " ".join(texts_of(dispatcher))


def pending() -> dict:
    body = "Request for consular assistance through Passage (reference P-00000000)"
    return {"to": FAKE, "text": body, "digest": referral_digest(FAKE, body), "fact": "tn-consular-social-attaches"}


async def test_only_the_yes_button_for_this_text_hands_the_referral_to_the_gateway(dispatcher, domain) -> None:
    offer = pending()
    button = [{"entity": "consent", "value": f"consular_referral:{offer['digest']}", "start": 0, "end": 0}]
    events = await ActionConsularReferral().run(dispatcher, make_tracker("affirm", entities=button, consular_referral=offer), domain)
    assert signals(dispatcher) == [{"consular_referral": {"to": FAKE, "text": offer["text"], "digest": offer["digest"]}}]
    assert events == [{"event": "slot", "name": "consular_referral", "value": None, "timestamp": None}]


@pytest.mark.parametrize(
    ("intent", "consent", "reply"),
    [
        ("affirm", None, "consulate.press_button"),  # a typed "yes"
        ("affirm", "consular_referral:00000000000000000000000000000000", "consulate.press_button"),  # an old button
        ("deny", None, "consulate.declined"),
    ],
)
async def test_anything_else_sends_nothing(dispatcher, domain, intent, consent, reply) -> None:
    entities = [{"entity": "consent", "value": consent, "start": 0, "end": 0}] if consent else []
    await ActionConsularReferral().run(dispatcher, make_tracker(intent, entities=entities, consular_referral=pending(), language="bn"), domain)
    assert signals(dispatcher) == []
    assert texts_of(dispatcher) == [text("bn", reply)]


async def test_a_yes_with_nothing_pending_sends_nothing(dispatcher, domain) -> None:
    await ActionConsularReferral().run(dispatcher, make_tracker("affirm"), domain)
    assert signals(dispatcher) == [] and texts_of(dispatcher) == [text("en", "consulate.nothing_pending")]
