"""POST /api/chat: the contract partners and the web chat rely on, and clear 4xx for bad input."""
import pytest

from bot.pseudonym import pseudonymise


async def test_reply_has_the_documented_shape(client, fake_rasa) -> None:
    await client.post("/api/chat", json={"sender": "alice", "text": "bonjour à vous"})
    response = await client.post("/api/chat", json={"sender": "alice", "text": "je viens du Sénégal"})
    assert response.status == 200
    body = await response.json()
    assert body == {
        "language": "fr",
        "intent": {"name": "ask_country_info", "confidence": 0.93},
        "entities": [{"entity": "country", "value": "SN"}],
        "messages": [{"text": "echo: je viens du Sénégal", "buttons": [{"title": "Health", "payload": "/inform"}]}],
        "handoff": None,
        "pending": False,
    }


async def test_first_contact_gets_the_privacy_notice_once_in_the_users_language(client) -> None:
    first = await (await client.post("/api/chat", json={"sender": "new", "text": "je voudrais des informations"})).json()
    assert first["messages"][0]["text"].startswith("Avant de commencer")
    assert "30" in first["messages"][0]["text"]
    second = await (await client.post("/api/chat", json={"sender": "new", "text": "je viens du Mali"})).json()
    assert all("Avant de commencer" not in m["text"] for m in second["messages"])


async def test_rasa_sees_a_pseudonym_and_the_detected_language(client, fake_rasa) -> None:
    await client.post("/api/chat", json={"sender": "+33612345678", "text": "আমি দেশে ফিরতে চাই"})
    (sent,) = fake_rasa.received
    assert sent["sender"] == pseudonymise("test-secret", "web", "+33612345678")
    assert "+33612345678" not in str(sent)
    assert sent["metadata"] == {"language": "bn"}


async def test_language_sticks_across_a_short_message(client, fake_rasa) -> None:
    await client.post("/api/chat", json={"sender": "bob", "text": "je voudrais des informations sur mon pays"})
    body = await (await client.post("/api/chat", json={"sender": "bob", "text": "ok"})).json()
    assert body["language"] == "fr"


async def test_handoff_signal_is_never_shown_and_the_user_learns_their_place(client) -> None:
    body = await (await client.post("/api/chat", json={"sender": "c", "text": "I want a counsellor"})).json()
    assert body["handoff"] == {"status": "waiting", "priority": "normal", "position": 1}
    assert body["messages"][1] == {"text": "A counsellor will join."}  # after the first-contact privacy notice
    assert "number 1 in the queue" in body["messages"][2]["text"]
    assert "passage" not in str(body["messages"])


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid UTF-8"),
        (b"[]", "JSON object"),
        (b'{"text": "hi"}', "'sender'"),
        (b'{"sender": "", "text": "hi"}', "'sender'"),
        (b'{"sender": 5, "text": "hi"}', "'sender'"),
        (b'{"sender": "x", "text": 42}', "'text'"),
        (b'{"sender": "x"}', "'text'"),
        (b'{"sender": "x", "text": "hi", "language": 3}', "'language'"),
    ],
)
async def test_bad_requests_get_400_with_a_reason(client, payload: bytes, reason: str) -> None:
    response = await client.post("/api/chat", data=payload, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert reason in (await response.json())["error"]


async def test_empty_message_gets_a_kind_answer_without_calling_rasa(client, fake_rasa) -> None:
    body = await (await client.post("/api/chat", json={"sender": "d", "text": " \u200b\t "})).json()
    assert "empty" in body["messages"][0]["text"]
    assert fake_rasa.received == []


async def test_rasa_down_tells_the_user_the_message_was_received(client, fake_rasa) -> None:
    fake_rasa.status = 503
    body = await (await client.post("/api/chat", json={"sender": "e", "text": "hello there"})).json()
    assert "received your message" in body["messages"][-1]["text"]
    assert body["pending"] is True


async def test_oversized_body_is_refused_with_413(client) -> None:
    response = await client.post("/api/chat", data=b'{"sender":"x","text":"' + b"a" * 300_000 + b'"}', headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert "error" in await response.json()


async def test_chat_page_is_served_and_right_to_left_ready(client) -> None:
    page = await (await client.get("/")).text()
    script = await (await client.get("/static/chat.js")).text()
    assert 'dir="auto"' in page and 'setAttribute("dir", "auto")' in script
    assert "textContent" in script and "innerHTML" not in script
