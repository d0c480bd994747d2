"""Starts the real service — Rasa with the trained model, the action server and the gateway — once."""
from pathlib import Path

import pytest

from bot.launcher import MODEL, Ports, free_port, start_all, stop
from bot.settings import Settings


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run the tests with `make test`, which trains it first.")
    data_dir: Path = tmp_path_factory.mktemp("service")
    settings = Settings(
        port=free_port(),
        data_dir=data_dir,
        database_url=f"sqlite+aiosqlite:///{data_dir / 'passage.db'}",
        rasa_token="e2e-token",
        pseudonym_secret="e2e-secret",
    )
    import os

    os.environ["PASSAGE_TRACKER_DB"] = str(data_dir / "tracker.db")
    os.environ["PASSAGE_REPORTS_FILE"] = str(data_dir / "reports.jsonl")
    processes = start_all(settings, Ports(rasa=free_port(), actions=free_port()), MODEL, data_dir / "logs")
    yield f"http://127.0.0.1:{settings.port}"
    stop(processes)
