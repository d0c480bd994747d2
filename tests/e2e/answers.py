"""Checks shared by the restart and scale-out tests: every message answered once, in order."""
import asyncio
import json
from typing import Iterable

import aiohttp


async def wait_until_nothing_is_pending(gateway: str, senders: list[str], timeout_s: float = 120) -> None:
    """Messages kept while a server was unreachable are answered by the inbox worker; wait for that."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    async with aiohttp.ClientSession() as session:
        for sender in senders:
            while True:
                async with session.post(f"{gateway}/api/poll", json={"sender": sender, "after": 0}) as response:
                    if not (await response.json())["pending"]:
                        break
                assert asyncio.get_running_loop().time() < deadline, f"{sender}: kept messages were never answered"
                await asyncio.sleep(1)


def assert_each_message_once_in_order(sender: str, events: Iterable[tuple[str, str]], sent: list[str]) -> None:
    """`events`: (type_name, data) rows of Rasa's tracker store for one conversation, by id."""
    rows = list(events)
    user_texts = [json.loads(data)["text"] for kind, data in rows if kind == "user"]
    assert user_texts == sent, f"{sender}: {user_texts}"
    kinds = [kind for kind, _ in rows if kind in ("user", "bot")]
    for position, kind in enumerate(kinds):
        if kind == "user":
            assert kinds[position + 1 : position + 2] == ["bot"], f"{sender}: a message without an answer"
