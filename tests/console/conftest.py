"""A gateway with the console mounted and a fake Rasa (no trained model needed)."""
from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from tests.fakes import FakeRasa


def console_app(settings: Settings) -> web.Application:
    """The whole gateway app, console included."""
    return create_app(settings)


@pytest.fixture
async def fake_rasa():
    rasa = FakeRasa(token="test-token")
    server = TestServer(rasa.app(), host="127.0.0.1")
    await server.start_server()
    rasa.url = str(server.make_url("")).rstrip("/")
    yield rasa
    await server.close()


@pytest.fixture
def settings(tmp_path: Path, fake_rasa: FakeRasa) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}",
        rasa_url=fake_rasa.url,
        rasa_token="test-token",
        pseudonym_secret="test-secret",
        rasa_timeout_s=5,
    )


@pytest.fixture
async def client(settings: Settings):
    test_client = TestClient(TestServer(console_app(settings), host="127.0.0.1"))
    await test_client.start_server()
    yield test_client
    await test_client.close()
