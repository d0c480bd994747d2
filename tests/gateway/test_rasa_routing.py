"""Several Rasa servers: one per conversation (sticky), and the next one when it is down."""
import socket

from bot.rasa_client import RasaClient


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens there once closed


def test_each_conversation_sticks_to_one_server_and_they_spread() -> None:
    client = RasaClient(["http://rasa-1", "http://rasa-2", "http://rasa-3"], "token")
    firsts = {client.servers_for(f"we-{i}")[0] for i in range(200)}
    assert firsts == {"http://rasa-1", "http://rasa-2", "http://rasa-3"}
    assert all(client.servers_for("we-7") == client.servers_for("we-7") for _ in range(5))
    assert sorted(client.servers_for("we-7")) == ["http://rasa-1", "http://rasa-2", "http://rasa-3"]


async def test_a_dead_server_fails_over_to_the_next(fake_rasa) -> None:
    client = RasaClient([dead_url(), fake_rasa.url], "test-token", timeout_s=5)
    try:
        for i in range(6):  # whichever server each conversation prefers, every message is answered
            result = await client.send(f"we-{i}", "hello from somewhere", {"language": "en"})
            assert result.messages
    finally:
        await client.close()
