"""One handoff through the HTML forms: claim, read, reply, note, transfer, close and hand back."""
from __future__ import annotations

import re

from bot.app_keys import GATEWAY
from bot.handoff import OUTCOMES
from tests.console.helpers import chat, logged_in, only_handoff_id, submit

INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def poll(client, sender: str, after: int = 0) -> dict:
    return await (await client.post("/api/poll", json={"sender": sender, "after": after})).json()


async def test_claim_reply_note_and_close_through_the_forms_hand_the_user_back_to_the_bot(client, fake_rasa) -> None:
    await chat(client, "u1", "I want a counsellor")
    handoff_id = await only_handoff_id(client)
    await logged_in(client, "sam", ["en"])
    page = f"/console/handoffs/{handoff_id}"
    html = await (await client.get(page)).text()
    assert "Claim this handoff" in html and "Send reply" not in html

    claimed = await submit(client, f"{page}/claim", {}, page)
    assert claimed.status == 303 and claimed.headers["Location"].startswith(page)
    html = await (await client.get(page)).text()
    assert "Send reply" in html and "Claim this handoff" not in html

    assert (await submit(client, f"{page}/reply", {"text": "Hello, I am Sam. How can I help?"}, page)).status == 303
    assert (await poll(client, "u1"))["messages"][-1]["text"] == "Hello, I am Sam. How can I help?"

    assert (await submit(client, f"{page}/note", {"text": "Asked about family reunion."}, page)).status == 303
    html = await (await client.get(page)).text()
    assert "Asked about family reunion." in html
    assert "Asked about family reunion." not in str(await poll(client, "u1"))  # notes stay private

    asked_rasa = len(fake_rasa.received)
    assert (await chat(client, "u1", "thank you"))["messages"] == []  # still with the counsellor
    assert len(fake_rasa.received) == asked_rasa

    closed = await submit(client, f"{page}/close", {"outcome": "information_given"}, page)
    assert closed.status == 303
    polled = await poll(client, "u1")
    assert "back with the Passage assistant" in polled["messages"][-1]["text"]
    assert polled["handoff"] is None
    assert (await chat(client, "u1", "what about Senegal"))["messages"][0]["text"] == "echo: what about Senegal"
    html = await (await client.get(page)).text()
    assert "information_given" in html and "Close and hand back" not in html


async def test_the_transcript_shows_every_author_in_the_original_language_with_direction(client) -> None:
    await chat(client, "u1", "مرحبا، أحتاج إلى مساعدة")
    await chat(client, "u1", "I want a counsellor")
    handoff_id = await only_handoff_id(client)
    await logged_in(client, "sam", ["en", "ar"])
    page = f"/console/handoffs/{handoff_id}"
    await submit(client, f"{page}/claim", {}, page)
    await submit(client, f"{page}/reply", {"text": "Hello"}, page)
    html = await (await client.get(page)).text()
    items = re.findall(r'<li class="msg (\w+)" dir="auto" lang="(\w*)"', html)
    authors = [author for author, _ in items]
    assert authors[0] == "user" and authors[-1] == "counsellor" and "bot" in authors
    assert authors.count("user") == 2
    assert items[0][1] == "ar"
    assert "مرحبا، أحتاج إلى مساعدة" in html


async def test_html_in_a_users_message_is_shown_as_text(client) -> None:
    await chat(client, "u1", INJECTION)
    await chat(client, "u1", "I want a counsellor")
    handoff_id = await only_handoff_id(client)
    await logged_in(client, "sam", ["en"])
    for path in (f"/console/handoffs/{handoff_id}", f"/console/handoffs/{handoff_id}/transcript"):
        html = await (await client.get(path)).text()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html


async def test_the_summary_the_bot_gathered_is_shown(client) -> None:
    await client.post("/api/chat", json={"sender": "u1", "text": "I am in danger", "partner": "diaspora-lyon"})
    await logged_in(client, "sam", ["en"])
    html = await (await client.get(f"/console/handoffs/{await only_handoff_id(client)}")).text()
    summary = html[html.index('<dl class="summary">') : html.index("</dl>")]
    assert "Country of origin" in summary and "SN" in summary
    assert "Partner organisation" in summary and "diaspora-lyon" in summary


async def test_canned_replies_are_offered_in_the_handoffs_language(client) -> None:
    await chat(client, "u1", "je voudrais parler avec un counsellor humain")
    await logged_in(client, "amelie", ["fr"])
    page = f"/console/handoffs/{await only_handoff_id(client)}"
    await submit(client, f"{page}/claim", {}, page)
    html = await (await client.get(page)).text()
    assert "Prenez votre temps." in html
    assert "Take your time. You can write" not in html


async def test_transfer_to_the_supervisors_and_to_a_colleague(client) -> None:
    await chat(client, "u1", "I want a counsellor")
    handoff_id = await only_handoff_id(client)
    handoffs = client.app[GATEWAY].handoffs
    await logged_in(client, "rahim", ["bn"])
    colleague = await logged_in(client, "lea", ["en"])
    page = f"/console/handoffs/{handoff_id}"
    await logged_in(client, "sam", ["en"])
    assert "Lea (en)" in await (await client.get(page)).text()
    assert "Rahim" not in await (await client.get(page)).text()  # he could not read the conversation

    refused = await submit(client, f"{page}/transfer", {"to": "1"}, page)  # rahim
    assert refused.status == 400 and "does not cover" in await refused.text()

    assert (await submit(client, f"{page}/transfer", {"to": str(colleague)}, page)).status == 303
    row = await handoffs.active(client.app[GATEWAY].conversation_id("web", "u1"))
    assert (row.assigned_to, row.status) == (colleague, "waiting")
    assert (await client.get(page)).status == 404  # now Léa's, no longer visible to Sam

    await logged_in(client, "boss", ["en"], role="supervisor")
    assert (await submit(client, f"{page}/transfer", {"to": "supervisors"}, page)).status == 303
    row = await handoffs.active(client.app[GATEWAY].conversation_id("web", "u1"))
    assert row.assigned_role == "supervisor"


async def test_bad_input_gets_a_reason_not_a_server_error(client) -> None:
    await chat(client, "u1", "I want a counsellor")
    handoff_id = await only_handoff_id(client)
    await logged_in(client, "sam", ["en"])
    page = f"/console/handoffs/{handoff_id}"
    assert (await client.get("/console/handoffs/abc")).status == 404
    assert (await client.get("/console/handoffs/99999")).status == 404
    assert (await client.get("/console/handoffs/99999999999999999999")).status == 404
    unknown = await submit(client, f"{page}/close", {"outcome": "solved_everything"}, page)
    assert unknown.status == 400
    text = await unknown.text()
    assert all(outcome in text for outcome in OUTCOMES)
    before_claim = await submit(client, f"{page}/reply", {"text": "hi"}, page)
    assert before_claim.status == 409 and "claim the handoff before replying" in await before_claim.text()
    await submit(client, f"{page}/claim", {}, page)
    assert (await submit(client, f"{page}/reply", {"text": "   "}, page)).status == 400
    assert (await submit(client, f"{page}/reply", {"text": "x" * 5000}, page)).status == 400
    assert (await submit(client, f"{page}/transfer", {"to": "everyone"}, page)).status == 400
    assert (await submit(client, f"{page}/transfer", {"to": "4242"}, page)).status == 400
    assert (await submit(client, f"{page}/close", {"outcome": "other"}, page)).status == 303
    again = await submit(client, f"{page}/close", {"outcome": "other"}, page)
    assert again.status == 409 and "already closed" in await again.text()


async def test_a_handoff_claimed_by_someone_else_cannot_be_taken(client) -> None:
    await chat(client, "u1", "I want a counsellor")
    handoff_id = await only_handoff_id(client)
    page = f"/console/handoffs/{handoff_id}"
    await logged_in(client, "sam", ["en"])
    await submit(client, f"{page}/claim", {}, page)
    await logged_in(client, "boss", ["en"], role="supervisor")
    taken = await submit(client, f"{page}/claim", {}, page)
    assert taken.status == 409 and "already claimed" in await taken.text()
