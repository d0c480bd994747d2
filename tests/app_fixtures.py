"""Fixtures for tests of the gateway app: a fake Rasa, settings on SQLite and PostgreSQL, a client.

Imported by the conftest of each folder that needs them, so every such suite runs on both databases.
"""
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from tests.databases import database_url
from tests.fakes import FakeRasa


@pytest.fixture
async def fake_rasa():
    rasa = FakeRasa(token="test-token")
    server = TestServer(rasa.app(), host="127.0.0.1")
    await server.start_server()
    rasa.url = str(server.make_url("")).rstrip("/")
    yield rasa
    await server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def settings(request: pytest.FixtureRequest, tmp_path: Path, fake_rasa: FakeRasa) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=await database_url(request.param, tmp_path),
        rasa_url=fake_rasa.url,
        rasa_token="test-token",
        pseudonym_secret="test-secret",
        rasa_timeout_s=5,
    )


@pytest.fixture
async def client(settings: Settings):
    test_client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await test_client.start_server()
    yield test_client
    await test_client.close()
