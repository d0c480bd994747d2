"""The production lock store: Rasa's Redis ticket lock, with its round trips off the event loop.

What a user would notice if it were wrong: two of their messages answered in the wrong order or
at once (the lock not held), or everyone's replies stalling behind one conversation.
"""
import asyncio
import uuid
from pathlib import Path

import pytest
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from rasa_ext.lock_store import ThreadedRedisLockStore
from tests.databases import redis_reachable

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not redis_reachable(), reason="Redis not reachable on 127.0.0.1:6379")


def store() -> ThreadedRedisLockStore:
    return ThreadedRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=7, key_prefix="passagetest"))


def test_the_production_endpoints_load_it(monkeypatch) -> None:
    for name, value in {"PASSAGE_ACTIONS_URL": "http://127.0.0.1:1/webhook", "PASSAGE_TRACKER_HOST": "127.0.0.1", "PASSAGE_TRACKER_PORT": "5432",
                        "PASSAGE_TRACKER_DB": "unused", "PASSAGE_TRACKER_USER": "postgres", "PASSAGE_TRACKER_PASSWORD": "", "PASSAGE_REDIS_HOST": "127.0.0.1", "PASSAGE_REDIS_PORT": "6379", "PASSAGE_REDIS_LOCK_DB": "7"}.items():
        monkeypatch.setenv(name, value)
    config = read_endpoint_config(str(ROOT / "deploy" / "endpoints.production.yml"), "lock_store")
    assert isinstance(LockStore.create(config), ThreadedRedisLockStore)


async def test_messages_of_one_conversation_are_handled_one_after_the_other_in_order() -> None:
    lock_store, conversation = store(), f"c-{uuid.uuid4().hex}"
    handled: list[str] = []

    async def message(name: str, work_s: float) -> None:
        async with lock_store.lock(conversation, wait_time_in_seconds=0.02):
            handled.append(f"{name} starts")
            await asyncio.sleep(work_s)
            handled.append(f"{name} ends")

    first = asyncio.create_task(message("first", 0.2))
    await asyncio.sleep(0.05)  # the second message arrives while the first is being answered
    await asyncio.gather(first, message("second", 0))
    assert handled == ["first starts", "first ends", "second starts", "second ends"]
    assert lock_store.get_lock(conversation) is None  # nothing left behind in Redis


async def test_one_busy_conversation_does_not_hold_up_another() -> None:
    lock_store = store()
    busy, other = f"c-{uuid.uuid4().hex}", f"c-{uuid.uuid4().hex}"
    async with lock_store.lock(busy):
        async with lock_store.lock(other):  # would wait (1 s a try) if the locks were shared
            pass
    assert lock_store.get_lock(busy) is None and lock_store.get_lock(other) is None
