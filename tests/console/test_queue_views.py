"""The live queue: who sees what, emergencies first, and the event stream that refreshes it."""
from __future__ import annotations

import asyncio
import json
import re

from bot.app_keys import GATEWAY
from tests.console.helpers import chat, logged_in


def queue_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-handoff="(\d+)"', html)]


async def test_a_counsellor_without_the_users_language_does_not_see_the_handoff(client) -> None:
    await chat(client, "fr-user", "je voudrais parler avec un counsellor humain")
    await logged_in(client, "rahim", ["bn"])
    page = await (await client.get("/console")).text()
    assert queue_ids(page) == []
    assert "No one is waiting for you right now." in page
    fragment = await (await client.get("/console/queue")).text()
    assert queue_ids(fragment) == []


async def test_a_counsellor_with_countries_sees_only_handoffs_from_those_countries(client) -> None:
    await chat(client, "fr-user", "je voudrais parler avec un counsellor humain")  # no country known
    await chat(client, "sn-user", "I am in danger")  # the fake Rasa says: from SN
    await logged_in(client, "amelie", ["fr", "en"], countries=["SN"])
    assert queue_ids(await (await client.get("/console")).text()) == [2]
    await logged_in(client, "lea", ["fr", "en"])
    assert queue_ids(await (await client.get("/console")).text()) == [2, 1]


async def test_emergencies_are_listed_first_and_flagged(client) -> None:
    await chat(client, "a", "I want a counsellor")
    await chat(client, "b", "I want a counsellor")
    await chat(client, "c", "I am in danger now")
    await logged_in(client, "sam", ["en"])
    html = await (await client.get("/console")).text()
    rows = re.findall(r'<tr class="(\w+)[^"]*" data-handoff="(\d+)">', html)
    assert [priority for priority, _ in rows] == ["emergency", "normal", "normal"]
    first_row = html[html.index('data-handoff="3"') : html.index("</tr>", html.index('data-handoff="3"'))]
    assert "EMERGENCY" in first_row


async def test_the_event_stream_announces_new_handoffs_without_their_content(client) -> None:
    await logged_in(client, "sam", ["en"])
    stream = await client.get("/console/events")
    assert stream.status == 200
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    assert (await stream.content.readline()).startswith(b"retry:")
    await asyncio.sleep(0.05)
    await chat(client, "u1", "I want a counsellor, my secret story")
    lines: list[bytes] = []
    while not lines or not lines[-1].startswith(b"data:"):
        line = await asyncio.wait_for(stream.content.readline(), 5)
        if line.strip() and not line.startswith(b":"):
            lines.append(line.strip())
    assert lines[-2] == b"event: handoff_opened"
    assert json.loads(lines[-1][len(b"data:") :]) == {"kind": "handoff_opened", "handoff_id": 1}
    stream.close()


async def test_console_requests_mark_the_counsellor_as_online(client) -> None:
    await logged_in(client, "sam", ["en"])
    await client.get("/console")
    reply = await chat(client, "u1", "I want a counsellor")
    assert "is online" in reply["messages"][-1]["text"]
    assert client.app[GATEWAY]  # the user was told honestly that someone is there
