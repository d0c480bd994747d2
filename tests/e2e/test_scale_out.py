"""Two Rasa servers and two gateways on the real PostgreSQL and Redis; one of each is killed mid-way.

Every message must get exactly one answer, in order: checked from the clients' side and in Rasa's
tracker store.
"""
import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import aiohttp
import pytest

from bot.launcher import MODEL, ROOT, free_port, wait_for
from tests.databases import PG_HOST, PG_USER, redis_reachable
from tests.e2e.answers import assert_each_message_once_in_order, wait_until_nothing_is_pending

pytestmark = pytest.mark.e2e

USERS = 8
MESSAGES = ["hello", "is it safe in mali", "and jobs?", "what about senegal", "how do you know", "thank you", "what are my options", "bye"]




async def fresh_database(name: str) -> None:
    import asyncpg

    try:
        admin = await asyncpg.connect(host=PG_HOST, user=PG_USER, database="postgres", timeout=3)
    except Exception as error:  # asyncpg raises several unrelated classes for "not there"
        pytest.skip(f"PostgreSQL not reachable on {PG_HOST}:5432 ({type(error).__name__})")
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()


@pytest.fixture
async def cluster(tmp_path_factory: pytest.TempPathFactory):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run the tests with `make test`, which trains it first.")
    if not redis_reachable():
        pytest.skip("Redis not reachable on 127.0.0.1:6379")
    await fresh_database("passage_scale_rasa")
    await fresh_database("passage_scale_gateway")
    logs: Path = tmp_path_factory.mktemp("cluster")
    ports = {"actions": free_port(), "rasa_a": free_port(), "rasa_b": free_port(), "gw_1": free_port(), "gw_2": free_port()}
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "PASSAGE_DATA_DIR": str(logs),
            "PASSAGE_RASA_TOKEN": "scale-token",
            "PASSAGE_PSEUDONYM_SECRET": "scale-secret",
            "PASSAGE_ACTIONS_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
            "PASSAGE_TRACKER_HOST": PG_HOST,
            "PASSAGE_TRACKER_PORT": "5432",
            "PASSAGE_TRACKER_DB": "passage_scale_rasa",
            "PASSAGE_TRACKER_USER": PG_USER,
            "PASSAGE_TRACKER_PASSWORD": "",
            "PASSAGE_REDIS_HOST": "127.0.0.1",
            "PASSAGE_REDIS_PORT": "6379",
            "PASSAGE_REDIS_LOCK_DB": "3",
            "PASSAGE_DATABASE_URL": f"postgresql+asyncpg://{PG_USER}@{PG_HOST}/passage_scale_gateway",
            "PASSAGE_REDIS_URL": "redis://127.0.0.1:6379/4",
            "PASSAGE_RASA_URLS": f"http://127.0.0.1:{ports['rasa_a']},http://127.0.0.1:{ports['rasa_b']}",
            "PASSAGE_RATE_LIMIT_PER_MINUTE": "1000",
            "TICKET_LOCK_LIFETIME": "15",  # a lock held by a killed server expires well within the 30 s timeout
            "SANIC_HOST": "127.0.0.1",
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        }
    )
    python = sys.executable
    commands = {
        "actions": [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(ports["actions"])],
        **{
            name: [python, "-m", "rasa_ext.serve", "run", "--model", str(MODEL), "-i", "127.0.0.1", "-p", str(ports[name]), "--enable-api", "--auth-token", "scale-token",
                   "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(ROOT / "deploy" / "endpoints.production.yml")]
            for name in ("rasa_a", "rasa_b")
        },
        **{name: [python, "-m", "bot", "serve"] for name in ("gw_1", "gw_2")},
    }
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands.items():
            process_env = dict(env, PASSAGE_PORT=str(ports[name])) if name.startswith("gw") else env
            with open(logs / f"{name}.log", "ab") as log:
                processes[name] = subprocess.Popen(command, env=process_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        model_loaded = "/status?token=scale-token"
        health = {"actions": "/health", "rasa_a": model_loaded, "rasa_b": model_loaded, "gw_1": "/healthz", "gw_2": "/healthz"}
        for name, path in health.items():
            assert wait_for(f"http://127.0.0.1:{ports[name]}{path}", 300, processes[name]), f"{name} did not start; see {logs / (name + '.log')}"
        yield ports, processes
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


async def test_every_message_gets_exactly_one_answer_in_order_while_servers_die(cluster) -> None:
    ports, processes = cluster
    gateways = [f"http://127.0.0.1:{ports['gw_1']}", f"http://127.0.0.1:{ports['gw_2']}"]
    senders = [f"scale-{i}-{uuid.uuid4().hex[:6]}" for i in range(USERS)]
    answers: dict[str, list[int]] = {sender: [] for sender in senders}
    halfway = asyncio.Event()

    async def converse(session: aiohttp.ClientSession, index: int, sender: str) -> None:
        for number, text in enumerate(MESSAGES):
            if number == len(MESSAGES) // 2 and index == 0:
                halfway.set()
            body = {"sender": sender, "text": text, "message_id": f"m{number}"}
            for attempt in range(len(gateways) * 3):  # what a load balancer does when a gateway dies
                gateway = gateways[(index + number + attempt) % len(gateways)]
                try:
                    async with session.post(f"{gateway}/api/chat", json=body, timeout=aiohttp.ClientTimeout(total=60)) as response:
                        assert response.status == 200
                        reply = await response.json()
                        break
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    await asyncio.sleep(0.2)
            else:
                pytest.fail(f"message {number} of {sender} was never answered")
            # Answered now, or told it was received and kept (answered once Rasa can take it).
            assert [m for m in reply["messages"] if m["text"]], f"message {number} of {sender} got no text"
            answers[sender].append(number)

    async def kill_halfway() -> None:
        await halfway.wait()
        processes["rasa_a"].send_signal(signal.SIGKILL)
        processes["gw_1"].send_signal(signal.SIGKILL)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(kill_halfway(), *(converse(session, i, sender) for i, sender in enumerate(senders)))

    assert processes["rasa_a"].poll() is not None and processes["gw_1"].poll() is not None
    assert all(numbers == list(range(len(MESSAGES))) for numbers in answers.values())
    await wait_until_nothing_is_pending(gateways[1], senders)
    await assert_trackers_hold_each_message_once_in_order(senders)


async def assert_trackers_hold_each_message_once_in_order(senders: list[str]) -> None:
    import asyncpg

    from bot.pseudonym import pseudonymise

    connection = await asyncpg.connect(host=PG_HOST, user=PG_USER, database="passage_scale_rasa")
    try:
        for sender in senders:
            rows = await connection.fetch(
                "SELECT type_name, data FROM events WHERE sender_id = $1 ORDER BY id", pseudonymise("scale-secret", "web", sender)
            )
            assert_each_message_once_in_order(sender, [(r["type_name"], r["data"]) for r in rows], MESSAGES)
    finally:
        await connection.close()
