"""The WhatsApp channel over real HTTP: signed webhooks in, a fake Graph API on 127.0.0.1 out."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta
from typing import Any, Optional

import aiohttp
import pytest
from sqlalchemy import select, update

from bot.app_keys import GATEWAY
from bot.channels import ADDRESSES, push
from bot.channels.addresses import channel_addresses
from bot.db import conversations, utcnow
from bot.partners import PartnerRegistry
from tests.channels.fakes import COUNTRY_BUTTONS, FakeGraph, FakeRasa, add_partner, counsellor_replies, wait_for

pytestmark = pytest.mark.asyncio

APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-me-please"
NUMBER_ID = "1098765"
WA_ID = "33612345678"


def env(graph: FakeGraph) -> dict[str, str]:
    return {
        "PASSAGE_WHATSAPP_TOKEN": "graph-token",
        "PASSAGE_WHATSAPP_PHONE_NUMBER_ID": NUMBER_ID,
        "PASSAGE_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "PASSAGE_WHATSAPP_APP_SECRET": APP_SECRET,
        "PASSAGE_WHATSAPP_API_URL": f"{graph.url}/v21.0",
    }


_counter = iter(range(1, 10**6))


def inbound(content: dict[str, Any], message_id: Optional[str] = None, sender: str = WA_ID) -> dict[str, Any]:
    message = {"from": sender, "id": message_id or f"wamid.in{next(_counter)}", "timestamp": str(int(time.time())), **content}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "33100000000", "phone_number_id": NUMBER_ID},
        "contacts": [{"profile": {"name": "Amal"}, "wa_id": sender}],
        "messages": [message],
    }
    return {"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [{"field": "messages", "value": value}]}]}


def text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body}}


def button_reply(reply_id: str, title: str = "x") -> dict[str, Any]:
    return {"type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}}


def list_reply(reply_id: str, title: str = "x") -> dict[str, Any]:
    return {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": reply_id, "title": title}}}


async def post(url: str, payload: dict[str, Any], signature: Optional[str] = "valid") -> int:
    raw = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "valid":
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/whatsapp/webhook", data=raw, headers=headers) as response:
            return response.status


def interactive(graph: FakeGraph) -> list[dict[str, Any]]:
    """Sent messages with buttons or a list (first contact may also bring a privacy notice as text)."""
    return [sent for sent in graph.sent if sent["type"] == "interactive"]


def bodies(graph: FakeGraph) -> list[str]:
    out = []
    for sent in graph.sent:
        if sent["type"] == "text":
            out.append(sent["text"]["body"])
        else:
            out.append(sent["interactive"]["body"]["text"])
    return out


async def test_conversation_from_wa_me_code_to_counsellor(start_gateway, settings, fake_graph: FakeGraph, fake_rasa: FakeRasa, caplog) -> None:
    """`start <code>-ar` → greeting with country buttons → button reply → counsellor button → handoff; count +1."""
    caplog.set_level(logging.INFO)
    await add_partner(settings, "bangla_assoc", "Bangla Association", language="bn")
    running = await start_gateway(env(fake_graph))
    assert running.channels == ["whatsapp"]
    registry = PartnerRegistry(running.app[GATEWAY].store.engine)
    before = sum((await registry.weekly_counts(1)).get("bangla_assoc", {}).values())

    assert await post(running.url, inbound(text("start bangla_assoc-ar"))) == 200
    (greeting,) = await wait_for(lambda: interactive(fake_graph))
    assert fake_rasa.received[0]["message"] == "/greet"
    assert fake_rasa.received[0]["metadata"]["language"] == "ar"
    assert greeting["to"] == WA_ID and greeting["phone_number_id"] == NUMBER_ID
    assert greeting["interactive"]["type"] == "button"
    replies = [b["reply"] for b in greeting["interactive"]["action"]["buttons"]]
    assert [r["title"] for r in replies] == [b["title"] for b in COUNTRY_BUTTONS]
    assert set(fake_graph.auth) == {"Bearer graph-token"}  # token in a header, never in the URL

    await post(running.url, inbound(button_reply(replies[0]["id"], "Syria")))
    await wait_for(lambda: len(interactive(fake_graph)) == 2)
    assert fake_rasa.received[1]["message"] == COUNTRY_BUTTONS[0]["payload"]
    offer = interactive(fake_graph)[1]["interactive"]["action"]["buttons"][0]["reply"]

    await post(running.url, inbound(button_reply(offer["id"], offer["title"])))
    await wait_for(lambda: "A counsellor will answer you here soon." in bodies(fake_graph))
    assert fake_rasa.texts()[-1] == "/request_counsellor"
    assert "handoff requested" in caplog.text

    conversation_id = running.app[GATEWAY].conversation_id("whatsapp", WA_ID)
    async with running.app[GATEWAY].store.engine.connect() as connection:
        row = (await connection.execute(select(conversations).where(conversations.c.id == conversation_id))).one()
    assert row.partner == "bangla_assoc"
    assert sum((await registry.weekly_counts(1))["bangla_assoc"].values()) == before + 1

    sent = len(fake_graph.sent)
    await counsellor_replies(running.app, conversation_id, "ar", "مرحبا، أنا أمينة، مستشارة.")
    assert bodies(fake_graph)[-1] == "مرحبا، أنا أمينة، مستشارة." and len(fake_graph.sent) == sent + 1
    assert WA_ID not in caplog.text and "counsellor will answer" not in caplog.text


async def test_bare_registered_code_uses_the_partners_default_language(start_gateway, settings, fake_graph: FakeGraph, fake_rasa: FakeRasa) -> None:
    await add_partner(settings, "bangla_assoc", "Bangla Association", language="bn")
    running = await start_gateway(env(fake_graph))
    await post(running.url, inbound(text("bangla_assoc")))
    await wait_for(lambda: fake_rasa.received)
    assert fake_rasa.received[0]["message"] == "/greet"
    assert fake_rasa.received[0]["metadata"]["language"] == "bn"
    await post(running.url, inbound(text("start nobody_registered")))
    await wait_for(lambda: len(fake_rasa.received) == 2)
    assert fake_rasa.received[1]["message"] == "start nobody_registered"  # not a partner: just a message


async def test_webhook_verification(start_gateway, fake_graph: FakeGraph) -> None:
    running = await start_gateway(env(fake_graph))
    async with aiohttp.ClientSession() as http:
        query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
        async with http.get(f"{running.url}/whatsapp/webhook", params=query) as response:
            assert response.status == 200 and await response.text() == "1158201444"
        async with http.get(f"{running.url}/whatsapp/webhook", params={**query, "hub.verify_token": "guess"}) as response:
            assert response.status == 403


async def test_unsigned_or_forged_posts_are_refused(start_gateway, fake_graph: FakeGraph, fake_rasa: FakeRasa, caplog) -> None:
    caplog.set_level(logging.INFO)
    running = await start_gateway(env(fake_graph))
    payload = inbound(text("secret words"))
    forged = "sha256=" + hmac.new(b"not-the-secret", json.dumps(payload).encode(), hashlib.sha256).hexdigest()
    for signature in (None, "", forged, "sha1=abc", forged.upper()):
        assert await post(running.url, payload, signature) == 401
    assert fake_rasa.received == [] and fake_graph.sent == []
    assert "secret words" not in caplog.text and WA_ID not in caplog.text


async def test_status_callbacks_are_accepted_and_ignored(start_gateway, fake_graph: FakeGraph, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_graph))
    status = {"id": "wamid.out1", "status": "delivered", "timestamp": str(int(time.time())), "recipient_id": WA_ID}
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": NUMBER_ID}, "statuses": [status]}}]}]}
    assert await post(running.url, payload) == 200
    assert fake_rasa.received == [] and fake_graph.sent == []


async def test_duplicate_deliveries_are_processed_once_even_after_a_restart(start_gateway, fake_graph: FakeGraph, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_graph))
    payload = inbound(text("hello, is anyone there?"), message_id="wamid.same")
    assert await post(running.url, payload) == 200
    assert await post(running.url, payload) == 200
    await wait_for(lambda: "You wrote 23 characters." in bodies(fake_graph))
    await running.stop()  # waits for answers in progress
    assert len(fake_rasa.received) == 1 and bodies(fake_graph).count("You wrote 23 characters.") == 1

    restarted = await start_gateway(env(fake_graph))
    assert await post(restarted.url, payload) == 200
    await post(restarted.url, inbound(text("a new message")))
    await wait_for(lambda: len(fake_rasa.received) == 2)
    assert fake_rasa.texts() == ["hello, is anyone there?", "a new message"]


async def test_push_respects_the_24_hour_window(start_gateway, fake_graph: FakeGraph, caplog) -> None:
    caplog.set_level(logging.INFO)
    running = await start_gateway(env(fake_graph))
    await post(running.url, inbound(text("hello")))
    await wait_for(lambda: "You wrote 5 characters." in bodies(fake_graph))
    conversation_id = running.app[GATEWAY].conversation_id("whatsapp", WA_ID)
    assert await push(running.app, conversation_id, [{"text": "A counsellor: how can I help?"}], "en") is True
    assert bodies(fake_graph)[-1] == "A counsellor: how can I help?"

    async with running.app[GATEWAY].store.engine.begin() as connection:
        await connection.execute(update(channel_addresses).values(last_inbound_at=utcnow() - timedelta(hours=24, minutes=1)))
    sent = len(fake_graph.sent)
    assert await push(running.app, conversation_id, [{"text": "Too late for this."}], "en") is False
    assert len(fake_graph.sent) == sent
    assert "outside the 24-hour window" in caplog.text and "Too late" not in caplog.text

    await post(running.url, inbound(text("I am here again")))  # writing again reopens the window
    await wait_for(lambda: len(fake_graph.sent) == sent + 1)
    assert await push(running.app, conversation_id, [{"text": "Welcome back."}], "en") is True


async def test_five_options_become_a_list(start_gateway, fake_graph: FakeGraph, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_graph))
    await post(running.url, inbound(text("many options")))
    (sent,) = await wait_for(lambda: interactive(fake_graph))
    assert sent["interactive"]["type"] == "list"
    action = sent["interactive"]["action"]
    assert action["button"] == "Options"
    rows = action["sections"][0]["rows"]
    assert [r["title"] for r in rows] == [f"Topic {i}" for i in range(1, 6)]
    await post(running.url, inbound(list_reply(rows[3]["id"], rows[3]["title"])))
    await wait_for(lambda: len(fake_rasa.received) == 2)
    assert fake_rasa.received[1]["message"] == '/topic{"n": 4}'


async def test_too_many_or_too_long_options_become_numbered_text(start_gateway, fake_graph: FakeGraph, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_graph))
    await post(running.url, inbound(text("too many options")))
    (body,) = await wait_for(lambda: [b for b in bodies(fake_graph) if b.startswith("Pick one.")])
    assert interactive(fake_graph) == []
    assert body.startswith("Pick one.\n\n1. A rather long option title 1\n") and "12. A rather long option title 12" in body
    assert body.endswith("Reply with the number of your choice.")
    await post(running.url, inbound(text("٣")))  # Arabic-Indic three
    await wait_for(lambda: len(fake_rasa.received) == 2)
    assert fake_rasa.received[1]["message"] == '/choice{"n": 3}'


async def test_long_payload_ids_map_back(start_gateway, fake_graph: FakeGraph, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_graph))
    await post(running.url, inbound(text("long payload")))
    (sent,) = await wait_for(lambda: interactive(fake_graph))
    reply = sent["interactive"]["action"]["buttons"][0]["reply"]
    assert reply["id"].startswith("#") and len(reply["id"]) <= 200
    await post(running.url, inbound(button_reply(reply["id"], "Go")))
    await wait_for(lambda: len(fake_rasa.received) == 2)
    assert len(fake_rasa.received[1]["message"]) > 300


async def test_media_gets_a_kind_reply_and_reactions_none(start_gateway, fake_graph: FakeGraph, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_graph))
    await post(running.url, inbound({"type": "reaction", "reaction": {"message_id": "wamid.out1", "emoji": "👍"}}))
    await post(running.url, inbound({"type": "audio", "audio": {"id": "media1", "mime_type": "audio/ogg", "voice": True}}))
    await wait_for(lambda: fake_graph.sent)
    assert bodies(fake_graph) == ["I can only read text messages for now. Please write your question in words, or ask for a counsellor."]
    assert fake_rasa.received == []


async def test_address_is_encrypted_at_rest(start_gateway, settings, fake_graph: FakeGraph) -> None:
    running = await start_gateway(env(fake_graph))
    await post(running.url, inbound(text("hello")))
    await wait_for(lambda: "You wrote 5 characters." in bodies(fake_graph))
    async with running.app[GATEWAY].store.engine.connect() as connection:
        (stored,) = (await connection.execute(select(channel_addresses.c.address))).scalars().all()
    assert WA_ID not in stored
    conversation_id = running.app[GATEWAY].conversation_id("whatsapp", WA_ID)
    assert (await running.app[ADDRESSES].get(conversation_id)).address == WA_ID
    await running.stop()
    assert WA_ID.encode() not in (settings.data_dir / "passage.db").read_bytes()
