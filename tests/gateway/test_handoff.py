"""Handoff as users and counsellors live it: silence, queue order, visibility, reply, hand-back."""
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.accounts import account_by_id, create_account
from bot.app import create_app
from bot.app_keys import GATEWAY
from bot.handoff import HandoffError


async def chat(client, sender: str, text: str) -> dict:
    response = await client.post("/api/chat", json={"sender": sender, "text": text})
    assert response.status == 200
    return await response.json()


async def poll(client, sender: str, after: int = 0) -> dict:
    return await (await client.post("/api/poll", json={"sender": sender, "after": after})).json()


async def counsellor(client, name: str, languages: list[str], role: str = "counsellor", countries: list[str] = ()):
    engine = client.app[GATEWAY].store.engine
    account_id = await create_account(engine, name, "a long enough password", role, languages, list(countries))
    return await account_by_id(engine, account_id)


async def test_bot_is_silent_while_a_counsellor_has_the_conversation(client, fake_rasa) -> None:
    await chat(client, "u1", "I want a counsellor please")
    asked_rasa = len(fake_rasa.received)
    reply = await chat(client, "u1", "hello? is anyone there")
    assert reply["messages"] == []
    assert reply["handoff"]["status"] == "waiting"
    assert len(fake_rasa.received) == asked_rasa  # Rasa was not asked
    conversation = client.app[GATEWAY].conversation_id("web", "u1")
    assert ("POST", conversation, {"event": "pause"}) in fake_rasa.tracker_events


async def test_emergency_jumps_the_queue(client) -> None:
    for sender in ("a", "b"):
        await chat(client, sender, "I want a counsellor")
    urgent = await chat(client, "c", "I am in danger now")
    assert urgent["handoff"] == {"status": "waiting", "priority": "emergency", "position": 1}
    assert "urgent" in urgent["messages"][-1]["text"]
    supervisor = await counsellor(client, "sup", ["en"], role="supervisor")
    queue = await client.app[GATEWAY].handoffs.queue(supervisor)
    assert [h["priority"] for h in queue] == ["emergency", "normal", "normal"]


async def test_counsellor_without_the_users_language_does_not_see_the_handoff(client) -> None:
    await chat(client, "fr-user", "je voudrais parler avec un counsellor humain")
    french = await counsellor(client, "amelie", ["fr"])
    bengali = await counsellor(client, "rahim", ["bn"])
    handoffs = client.app[GATEWAY].handoffs
    assert len(await handoffs.queue(french)) == 1
    assert await handoffs.queue(bengali) == []
    with pytest.raises(HandoffError):
        await handoffs.claim((await handoffs.queue(french))[0]["id"], bengali)


async def test_reply_reaches_the_web_user_and_close_hands_back_to_the_bot(client, fake_rasa) -> None:
    await chat(client, "u2", "I want a counsellor")
    handoffs = client.app[GATEWAY].handoffs
    agent = await counsellor(client, "sam", ["en"])
    (handoff,) = await handoffs.queue(agent)
    with pytest.raises(HandoffError, match="claim"):
        await handoffs.reply(handoff["id"], agent, "hello")
    await handoffs.claim(handoff["id"], agent)
    await handoffs.reply(handoff["id"], agent, "Hello, I am Sam, a counsellor. How can I help?")
    polled = await poll(client, "u2")
    assert polled["messages"][-1] == {"id": polled["messages"][-1]["id"], "author": "counsellor", "text": "Hello, I am Sam, a counsellor. How can I help?"}
    await handoffs.close(handoff["id"], agent, "information_given", {"text": "You are back with the assistant."})
    after = await poll(client, "u2", polled["messages"][-1]["id"])
    assert after["messages"][0]["text"] == "You are back with the assistant."
    assert after["handoff"] is None
    answered = await chat(client, "u2", "what about Senegal")
    assert answered["messages"][0]["text"] == "echo: what about Senegal"  # the bot answers again
    conversation = client.app[GATEWAY].conversation_id("web", "u2")
    assert ("POST", conversation, {"event": "resume"}) in fake_rasa.tracker_events


async def test_summary_gathered_by_the_bot_reaches_the_counsellor(client) -> None:
    await client.post("/api/chat", json={"sender": "u3", "text": "I am in danger", "partner": "diaspora-lyon"})
    agent = await counsellor(client, "lea", ["en"])
    (handoff,) = await client.app[GATEWAY].handoffs.queue(agent)
    detail = await client.app[GATEWAY].handoffs.get(handoff["id"], agent)
    assert detail["summary"] == {"country": "SN", "partner": "diaspora-lyon"}
    assert detail["priority"] == "emergency"


async def test_the_queue_survives_a_gateway_restart(settings, fake_rasa) -> None:
    first = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await first.start_server()
    await chat(first, "u4", "I want a counsellor")
    await first.close()
    second = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await second.start_server()
    try:
        agent = await counsellor(second, "max", ["en"])
        assert len(await second.app[GATEWAY].handoffs.queue(agent)) == 1
        assert (await chat(second, "u4", "still there?"))["messages"] == []
    finally:
        await second.close()
