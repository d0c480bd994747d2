"""The embedded set-up (SQLite) loses nothing when its processes die and come back.

While users keep writing, Rasa and the action server are killed (SIGKILL), then the gateway too;
each is started again. Every message must be answered exactly once, in the user's order: checked
from the users' side (a reply or "received, kept" for every message, nothing left pending) and in
Rasa's tracker store (each user text once, in order, each followed by a bot answer).
"""
import asyncio
import signal
import sqlite3
import uuid
from pathlib import Path

import aiohttp
import pytest

from bot.launcher import MODEL, Ports, free_port, start_all, start_one, stop
from bot.pseudonym import pseudonymise
from bot.settings import Settings
from tests.e2e.answers import assert_each_message_once_in_order, wait_until_nothing_is_pending

pytestmark = pytest.mark.e2e

USERS = 5
SECRET = "restart-secret"
MESSAGES = ["hello", "is it safe in mali", "and jobs?", "what about senegal", "how do you know", "what are my options", "thank you", "bye"]


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run the tests with `make test`, which trains it first.")
    tracker = tmp_path / "tracker.db"
    monkeypatch.setenv("PASSAGE_TRACKER_DB", str(tracker))
    monkeypatch.setenv("PASSAGE_PSEUDONYM_SECRET", SECRET)
    monkeypatch.setenv("PASSAGE_RATE_LIMIT_PER_MINUTE", "1000")
    monkeypatch.delenv("PASSAGE_ACTIONS_URL", raising=False)
    settings = Settings(
        port=free_port(), data_dir=tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'passage.db'}",
        rasa_token="restart-token", pseudonym_secret=SECRET,
    )
    ports = Ports(rasa=free_port(), actions=free_port())
    processes = start_all(settings, ports, MODEL, tmp_path / "logs")
    try:
        yield settings, ports, processes, tracker
    finally:
        stop(processes)


async def test_nothing_is_lost_or_answered_twice_when_every_process_is_killed_and_restarted(embedded) -> None:
    settings, ports, processes, tracker = embedded
    url = f"http://127.0.0.1:{settings.port}"
    senders = [f"restart-{i}-{uuid.uuid4().hex[:6]}" for i in range(USERS)]
    answered: dict[str, list[int]] = {sender: [] for sender in senders}
    kept = 0
    second_message_sent = asyncio.Event()
    chaos_done = asyncio.Event()

    async def converse(session: aiohttp.ClientSession, index: int, sender: str) -> None:
        nonlocal kept
        for number, text in enumerate(MESSAGES):
            body = {"sender": sender, "text": text, "message_id": f"m{number}"}
            deadline = asyncio.get_running_loop().time() + 240
            while True:  # what the web chat does while the gateway is down: try again, same message id
                try:
                    async with session.post(f"{url}/api/chat", json=body, timeout=aiohttp.ClientTimeout(total=60)) as response:
                        assert response.status == 200, await response.text()
                        reply = await response.json()
                        break
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    assert asyncio.get_running_loop().time() < deadline, f"message {number} of {sender} never got through"
                    await asyncio.sleep(0.5)
            assert [m for m in reply["messages"] if m["text"]], f"message {number} of {sender} got no text"
            kept += bool(reply["pending"])
            answered[sender].append(number)
            if number == 1 and index == 0:
                second_message_sent.set()
            # Keep writing through the outage, then slow down so some messages come after the restart.
            await asyncio.sleep(0.3 if not chaos_done.is_set() and number < 5 else 0.1)
            if number == 5:
                await chaos_done.wait()

    def kill(*names: str) -> None:
        for name in names:
            processes[name].send_signal(signal.SIGKILL)
            processes[name].wait(timeout=10)

    async def chaos() -> None:
        await second_message_sent.wait()
        kill("rasa", "actions")
        await asyncio.sleep(3)  # messages arrive while Rasa is gone: received and kept
        kill("gateway")
        await asyncio.sleep(2)  # the gateway is gone too: clients retry
        loop = asyncio.get_running_loop()
        log_dir = settings.data_dir / "logs"
        processes["gateway"] = await loop.run_in_executor(None, start_one, "gateway", settings, ports, MODEL, log_dir)
        await asyncio.sleep(2)
        processes["actions"] = await loop.run_in_executor(None, start_one, "actions", settings, ports, MODEL, log_dir)
        processes["rasa"] = await loop.run_in_executor(None, start_one, "rasa", settings, ports, MODEL, log_dir)
        chaos_done.set()

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(chaos(), *(converse(session, i, sender) for i, sender in enumerate(senders)))
        assert kept > 0, "no message arrived while Rasa was down: the test did not test the outage"
    await wait_until_nothing_is_pending(url, senders)

    assert all(numbers == list(range(len(MESSAGES))) for numbers in answered.values())
    assert_tracker_holds_each_message_once_in_order(tracker, senders)


def assert_tracker_holds_each_message_once_in_order(tracker: Path, senders: list[str]) -> None:
    with sqlite3.connect(tracker) as connection:
        for sender in senders:
            rows = connection.execute(
                "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (pseudonymise(SECRET, "web", sender),)
            ).fetchall()
            assert_each_message_once_in_order(sender, rows, MESSAGES)
