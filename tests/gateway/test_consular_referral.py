"""Consular referral as a user lives it: nothing reaches a consulate without the "Yes, send it" button
for the very text they were shown; what arrives is that text, byte for byte; the consent is recorded.

A real SMTP server (aiosmtpd on 127.0.0.1) receives the e-mail. A fake Rasa plays the two actions
(actions/consulate.py builds the same signals; tests/actions checks that side), and can be made to
misbehave: a referral signal nobody approved, or one whose text or recipient was changed.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any, Optional

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from actions.consulate import referral_digest
from bot import texts
from bot.app import create_app
from bot.app_keys import GATEWAY
from bot.consular import consular_consents, consular_offers
from bot.handoff import Handoffs
from tests.console.helpers import logged_in

RECIPIENT = "consulate@example.org"
# Non-ASCII on purpose: the e-mail must carry these bytes unchanged.
PREVIEW = "Demande d'assistance consulaire par Passage (référence P-1A2B3C4D)\n\nPays d'origine : Sénégal (SN)\nقنصلية — কনস্যুলেট\n\nAide demandée : un document de voyage"


class ConsulateRasa:
    """Answers like action_consulate_info / action_consular_referral; `tamper` forges the referral."""

    def __init__(self) -> None:
        self.pending: Optional[dict[str, str]] = None
        self.tamper: dict[str, str] = {}
        self.referral_without_button = False

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        text, sender = body["message"], body["sender"]
        say = lambda t, **extra: {"recipient_id": sender, "text": t, **extra}  # noqa: E731
        if "consulate" in text:
            digest = referral_digest(RECIPIENT, PREVIEW)
            self.pending = {"to": RECIPIENT, "text": PREVIEW, "digest": digest}
            buttons = [
                {"title": "Yes, send it", "payload": f'/affirm{{"consent": "consular_referral:{digest}"}}'},
                {"title": "No, do not send", "payload": "/deny"},
            ]
            messages = [
                say("A consulate can help with travel documents. This is exactly what would be sent:"),
                say(PREVIEW),
                {"recipient_id": sender, "custom": {"passage": {"consular_offer": dict(self.pending)}}},
                say(f"Send this to {RECIPIENT}?", buttons=buttons),
            ]
            return {"intent": {"name": "request_consulate", "confidence": 1.0}, "entities": [], "messages": messages}
        pressed = text.startswith("/affirm{") and self.pending is not None and self.pending["digest"] in text
        if (pressed or (self.referral_without_button and text == "yes")) and self.pending is not None:
            referral = {**self.pending, **self.tamper}
            self.pending = None
            return {"intent": {"name": "affirm", "confidence": 1.0}, "entities": [], "messages": [{"recipient_id": sender, "custom": {"passage": {"consular_referral": referral}}}]}
        if text.startswith("/deny") or text == "no":
            self.pending = None
            return {"intent": {"name": "deny", "confidence": 1.0}, "entities": [], "messages": [say("Nothing was sent.")]}
        return {"intent": {"name": "greet", "confidence": 1.0}, "entities": [], "messages": [say(f"echo: {text}")]}


@pytest.fixture
def consulate_rasa(fake_rasa) -> ConsulateRasa:
    responder = ConsulateRasa()
    fake_rasa.responder = responder
    return responder


@pytest.fixture
def smtp_env(smtp_server, monkeypatch) -> Any:
    inbox, port = smtp_server
    monkeypatch.setenv("PASSAGE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PASSAGE_SMTP_PORT", str(port))
    monkeypatch.setenv("PASSAGE_SMTP_FROM", "passage@example.org")
    return inbox


async def started(settings) -> TestClient:
    client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await client.start_server()
    return client


async def chat(client: TestClient, sender: str, text: str) -> dict:
    response = await client.post("/api/chat", json={"sender": sender, "text": text})
    assert response.status == 200
    return await response.json()


async def consents(client: TestClient) -> list[dict[str, Any]]:
    async with client.app[GATEWAY].store.engine.connect() as connection:
        return [dict(row._mapping) for row in await connection.execute(select(consular_consents).order_by(consular_consents.c.id))]


def yes_button(reply: dict) -> str:
    (button,) = [b for m in reply["messages"] for b in m.get("buttons", []) if b["payload"].startswith("/affirm")]
    return button["payload"]


async def test_the_email_is_exactly_what_the_user_approved_and_the_consent_is_kept(settings, consulate_rasa, smtp_env) -> None:
    client = await started(settings)
    try:
        offer = await chat(client, "u-0612345678", "how do I reach my consulate")
        shown = [m["text"] for m in offer["messages"]]
        assert PREVIEW in shown  # the preview is a message of its own, word for word
        done = await chat(client, "u-0612345678", yes_button(offer))
        conversation = client.app[GATEWAY].conversation_id("web", "u-0612345678")
    finally:
        await client.close()
    assert done["messages"] == [{"text": texts.text("en", "referral_sent", email=RECIPIENT)}]
    (envelope,) = smtp_env.envelopes
    assert envelope.rcpt_tos == [RECIPIENT]
    (message,) = smtp_env.messages
    assert message.get_payload(decode=True) == PREVIEW.encode("utf-8")  # byte for byte
    raw = envelope.content.decode("ascii", "replace")
    assert "0612345678" not in raw and conversation not in raw and conversation[:10] not in raw

    client = await started(settings)  # a restart keeps the record
    try:
        (record,) = await consents(client)
    finally:
        await client.close()
    assert (record["conversation_id"], record["recipient"], record["text"], record["status"]) == (conversation, RECIPIENT, PREVIEW, "sent")
    assert record["consented_at"] is not None and record["sent_at"] is not None


@pytest.mark.parametrize("answer", ["/deny", "no", "yes", "what does a consulate do?"])
async def test_without_the_yes_button_nothing_is_sent_or_recorded(settings, consulate_rasa, smtp_env, answer) -> None:
    consulate_rasa.referral_without_button = True  # even when Rasa emits a referral for a typed "yes"
    client = await started(settings)
    try:
        await chat(client, "u1", "my consulate")
        reply = await chat(client, "u1", answer)
        await asyncio.sleep(0.2)
        assert await consents(client) == []
    finally:
        await client.close()
    assert smtp_env.messages == []
    if answer == "yes":
        assert reply["messages"] == [{"text": texts.text("en", "referral_refused", email="")}]


@pytest.mark.parametrize("tamper", [{"text": PREVIEW + "\nName: Amadou, phone +221 77 000 00 00"}, {"to": "other@example.org"}])
async def test_a_referral_that_differs_from_what_was_shown_is_refused(settings, consulate_rasa, smtp_env, tamper) -> None:
    client = await started(settings)
    try:
        offer = await chat(client, "u1", "my consulate")
        # a forger who also knows the digest of the changed text still does not match the button pressed
        consulate_rasa.tamper = {**tamper, "digest": referral_digest(tamper.get("to", RECIPIENT), tamper.get("text", PREVIEW))}
        reply = await chat(client, "u1", yes_button(offer))
        assert await consents(client) == []
    finally:
        await client.close()
    assert smtp_env.messages == []
    assert "Nothing was sent" in reply["messages"][0]["text"]


async def test_a_button_for_an_offer_never_shown_is_refused(settings, consulate_rasa, smtp_env) -> None:
    client = await started(settings)
    try:
        await chat(client, "u1", "hello")
        consulate_rasa.pending = {"to": RECIPIENT, "text": PREVIEW, "digest": referral_digest(RECIPIENT, PREVIEW)}  # Rasa's word only
        await chat(client, "u1", f'/affirm{{"consent": "consular_referral:{referral_digest(RECIPIENT, PREVIEW)}"}}')
        assert await consents(client) == []
    finally:
        await client.close()
    assert smtp_env.messages == []


async def test_without_smtp_the_user_is_told_it_was_not_sent_and_a_counsellor_follows_up(settings, consulate_rasa, monkeypatch) -> None:
    monkeypatch.delenv("PASSAGE_SMTP_HOST", raising=False)
    client = await started(settings)
    try:
        offer = await chat(client, "u1", "my consulate")
        reply = await chat(client, "u1", yes_button(offer))
        (record,) = await consents(client)
        handoffs: Handoffs = client.app[GATEWAY].handoffs
        active = await handoffs.active(client.app[GATEWAY].conversation_id("web", "u1"))
        await logged_in(client, "sam", ["en"])
        html = await (await client.get(f"/console/handoffs/{active.id}")).text()
    finally:
        await client.close()
    assert reply["messages"][0] == {"text": texts.text("en", "referral_not_sent", email=RECIPIENT)}
    assert "sent" not in texts.text("en", "referral_not_sent", email=RECIPIENT).replace("NOT sent", "")
    assert record["status"] == "not_sent" and record["sent_at"] is None
    assert active is not None and active.reason == "consular_referral"
    # the counsellor who follows up sees what the user approved, for whom, and that it was not sent
    assert "Consular referrals (with consent)" in html and RECIPIENT in html and "not sent" in html
    assert "Aide demandée : un document de voyage" in html


async def test_deleting_my_data_keeps_only_an_anonymous_trace_of_the_consent(settings, consulate_rasa, smtp_env) -> None:
    client = await started(settings)
    try:
        offer = await chat(client, "u1", "my consulate")
        await chat(client, "u1", yes_button(offer))
        await chat(client, "u2", "my consulate")  # someone else's pending offer stays theirs
        conversation = client.app[GATEWAY].conversation_id("web", "u1")
        await client.app[GATEWAY].forget(conversation)
        (record,) = await consents(client)
        async with client.app[GATEWAY].store.engine.connect() as connection:
            offers = (await connection.execute(select(func.count()).select_from(consular_offers))).scalar_one()
    finally:
        await client.close()
    assert record["conversation_id"] is None and record["text"] is None and record["erased_at"] is not None
    assert record["recipient"] == RECIPIENT and record["status"] == "sent"
    import hashlib

    assert record["text_sha256"] == hashlib.sha256(PREVIEW.encode("utf-8")).hexdigest()
    assert offers == 1
    assert json.dumps(record, default=str).count("u1") == 0


async def test_a_retried_consent_gets_the_first_answer_and_no_second_email(settings, consulate_rasa, smtp_env) -> None:
    client = await started(settings)
    try:
        offer = await chat(client, "u1", "my consulate")
        button = yes_button(offer)
        await chat(client, "u1", button)
        # the same message again through another gateway: Rasa replays the same referral signal
        signal = {"to": RECIPIENT, "text": PREVIEW, "digest": referral_digest(RECIPIENT, PREVIEW)}
        conversation = client.app[GATEWAY].conversation_id("web", "u1")
        outcome = await client.app[GATEWAY].consular.refer(conversation, signal, button, "en")
        assert len(await consents(client)) == 1
    finally:
        await client.close()
    assert outcome.status == "sent" and len(smtp_env.messages) == 1
