"""Privacy and resilience at the gateway: bursts, Rasa outages, deletion, retention, logs."""
import logging
from datetime import timedelta

from sqlalchemy import func, select, update

from bot.app_keys import GATEWAY
from bot.db import conversations, messages, utcnow


async def chat(client, sender: str, text: str) -> dict:
    response = await client.post("/api/chat", json={"sender": sender, "text": text})
    assert response.status == 200
    return await response.json()


async def test_a_burst_from_one_user_is_rate_limited_kindly_and_others_are_unaffected(client, fake_rasa) -> None:
    replies = [await chat(client, "burst", f"message number {i}") for i in range(100)]
    limited = [r for r in replies if "very quickly" in r["messages"][-1]["text"]]
    assert len(limited) == 100 - 20
    assert len(fake_rasa.received) == 20
    other = await chat(client, "calm", "hello, I have a question about my papers")
    assert other["messages"][-1]["text"].startswith("echo:")


async def test_messages_sent_while_rasa_is_down_are_answered_later_in_order_and_once(client, fake_rasa) -> None:
    fake_rasa.status = 503
    for text in ("this is my first question", "this is my second question", "this is my third question"):
        reply = await chat(client, "patient", text)
        assert reply["pending"] is True and "received your message" in reply["messages"][-1]["text"]
    fake_rasa.status = 200
    tried_while_down = len(fake_rasa.received)
    gateway = client.app[GATEWAY]
    assert await gateway.drain_inbox() == 3
    assert await gateway.drain_inbox() == 0  # nothing is answered twice
    answered = [m["message"] for m in fake_rasa.received[tried_while_down:]]
    assert answered == ["this is my first question", "this is my second question", "this is my third question"]
    polled = await (await client.post("/api/poll", json={"sender": "patient", "after": 0})).json()
    echoes = [m["text"] for m in polled["messages"] if m["text"].startswith("echo:")]
    assert echoes == ["echo: this is my first question", "echo: this is my second question", "echo: this is my third question"]
    assert polled["pending"] is False


async def test_a_new_message_waits_behind_older_unanswered_ones(client, fake_rasa) -> None:
    fake_rasa.status = 503
    await chat(client, "order", "older message")
    fake_rasa.status = 200
    reply = await chat(client, "order", "newer message")
    assert reply["pending"] is True  # not answered before the older one
    await client.app[GATEWAY].drain_inbox()
    assert [m["message"] for m in fake_rasa.received][-2:] == ["older message", "newer message"]


async def test_deletion_erases_the_gateway_records_and_rasas_tracker(client, fake_rasa) -> None:
    await chat(client, "forget-me", "hello I am from Senegal")
    reply = await chat(client, "forget-me", "delete")
    assert reply["messages"] == [{"text": "Done: deleted."}]
    gateway = client.app[GATEWAY]
    conversation_id = gateway.conversation_id("web", "forget-me")
    assert fake_rasa.erased == [conversation_id]
    async with gateway.store.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(messages).where(messages.c.conversation_id == conversation_id)) == 0
        assert await connection.scalar(select(func.count()).select_from(conversations).where(conversations.c.id == conversation_id)) == 0


async def test_retention_purges_conversations_idle_longer_than_the_limit(client, fake_rasa) -> None:
    await chat(client, "old", "hello from long ago")
    await chat(client, "recent", "hello from today")
    gateway = client.app[GATEWAY]
    old_id = gateway.conversation_id("web", "old")
    async with gateway.store.engine.begin() as connection:
        await connection.execute(update(conversations).where(conversations.c.id == old_id).values(last_seen_at=utcnow() - timedelta(days=31)))
    assert await gateway.purge_older_than(30) == 1
    assert fake_rasa.erased == [old_id]
    assert await gateway.store.transcript(gateway.conversation_id("web", "recent"))


async def test_logs_of_a_whole_conversation_hold_no_text_names_or_ids(client, caplog) -> None:
    secret_words = ["Fatou Diallo", "+221771234567", "rue de la Paix", "I want a counsellor"]
    caplog.set_level(logging.DEBUG)
    sender = "+221771234567"
    for text in ["Hello, my name is Fatou Diallo", "I live at rue de la Paix", "I want a counsellor", "I am in danger"]:
        await chat(client, sender, text)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "message in" in logged  # the conversation was logged...
    for word in secret_words:
        assert word not in logged  # ...without its content or the phone number
    assert client.app[GATEWAY].conversation_id("web", sender) not in logged  # only a prefix of the pseudonym
