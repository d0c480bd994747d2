"""Two gateways behind a load balancer share one rate limit and one login throttle through Redis.

Without that, a user (or a password guesser) spread over N gateways would get N allowances.
Runs against the Redis on 127.0.0.1:6379; where it is not reachable, the test skips and says why.
"""
import dataclasses
import socket
import uuid

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.console.throttle import MAX_PER_USERNAME, WINDOW_S
from bot.sliding_window import MemoryWindow, RedisWindow
from tests.console.helpers import PASSWORD, add_account, login
from tests.databases import redis_reachable

REDIS_URL = "redis://127.0.0.1:6379/9"  # a database of its own, emptied by the tests


@pytest.fixture
async def two_gateways(settings):
    if not redis_reachable():
        pytest.skip("Redis not reachable on 127.0.0.1:6379; shared state needs it")
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    await client.flushdb()  # this test database only: counts left by an earlier run would block these logins
    await client.close(close_connection_pool=True)
    shared = dataclasses.replace(settings, redis_url=REDIS_URL)
    clients = [TestClient(TestServer(create_app(shared), host="127.0.0.1")) for _ in range(2)]
    for client in clients:
        await client.start_server()
    yield clients
    for client in clients:
        await client.close()


async def test_a_burst_spread_over_two_gateways_gets_one_allowance_not_two(two_gateways, fake_rasa) -> None:
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    replies = []
    for number in range(40):
        gateway = two_gateways[number % 2]
        response = await gateway.post("/api/chat", json={"sender": sender, "text": f"message number {number}"})
        assert response.status == 200
        replies.append(await response.json())
    limited = [r for r in replies if "very quickly" in r["messages"][-1]["text"]]
    assert len(limited) == 40 - 20
    assert len(fake_rasa.received) == 20


async def test_password_guesses_spread_over_two_gateways_are_counted_together(two_gateways) -> None:
    first, second = two_gateways
    username = f"amelie{uuid.uuid4().hex[:6]}"
    await add_account(first, username, ["fr"])
    for attempt in range(MAX_PER_USERNAME):
        assert (await login((first, second)[attempt % 2], username, "guess guess guess")).status == 401
    for gateway in two_gateways:
        assert (await login(gateway, username, PASSWORD)).status == 429


@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_a_window_refuses_at_its_limit_and_forgets_after_it(kind: str) -> None:
    now = [1_000_000.0]
    if kind == "memory":
        window = MemoryWindow(60.0, clock=lambda: now[0])
    else:
        if not redis_reachable():
            pytest.skip("Redis not reachable on 127.0.0.1:6379")
        import redis.asyncio as redis

        client = redis.from_url(REDIS_URL)
        window = RedisWindow(client, f"test:{uuid.uuid4().hex}", 60.0, clock=lambda: now[0])
    try:
        assert [await window.add("k", limit=3) for _ in range(4)] == [True, True, True, False]
        assert await window.count("k") == 3 and await window.count("other") == 0
        now[0] += 61
        assert await window.count("k") == 0 and await window.add("k", limit=3)
        await window.clear("k")
        assert await window.count("k") == 0
    finally:
        if kind == "redis":
            await client.close(close_connection_pool=True)


async def test_when_redis_is_unreachable_people_still_get_through(caplog: pytest.LogCaptureFixture) -> None:
    import redis.asyncio as redis

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = redis.from_url(f"redis://127.0.0.1:{port}/0", socket_connect_timeout=1)
    window = RedisWindow(client, "test:down", WINDOW_S)
    try:
        assert await window.add("user:secret-name", limit=1) and await window.add("user:secret-name", limit=1)
        assert await window.count("user:secret-name") == 0
    finally:
        await client.close(close_connection_pool=True)
    assert "Redis unreachable" in caplog.text and "secret-name" not in caplog.text
