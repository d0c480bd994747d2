"""`python -m bot accounts add|list`, scripted with PASSAGE_NEW_PASSWORD."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot import cli_accounts


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="passage")
    cli_accounts.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture
def database(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("PASSAGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PASSAGE_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PASSAGE_NEW_PASSWORD", "a long enough password")
    return tmp_path


def test_add_and_list_accounts(database, capsys) -> None:
    assert run(["accounts", "add", "amelie", "--role", "counsellor", "--languages", "fr,ar", "--countries", "SN,ML", "--display-name", "Amélie"]) == 0
    assert run(["accounts", "add", "boss", "--role", "supervisor"]) == 0
    assert "created counsellor 'amelie'" in capsys.readouterr().out
    assert run(["accounts", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[1].split("\t")[1:] == ["amelie", "counsellor", "fr,ar", "SN,ML", "Amélie"]
    assert listing[2].split("\t")[1:4] == ["boss", "supervisor", "-"]


def test_mistakes_are_explained(database, capsys, monkeypatch) -> None:
    assert run(["accounts", "add", "sam", "--languages", "xx"]) == 1
    assert "unknown language 'xx'" in capsys.readouterr().err
    assert run(["accounts", "add", "sam"]) == 1
    assert "needs --languages" in capsys.readouterr().err
    monkeypatch.setenv("PASSAGE_NEW_PASSWORD", "short")
    assert run(["accounts", "add", "sam", "--languages", "en"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err


def test_the_password_is_asked_twice_when_not_scripted(database, capsys, monkeypatch) -> None:
    monkeypatch.delenv("PASSAGE_NEW_PASSWORD")
    answers = iter(["a long enough password", "a different password"])
    monkeypatch.setattr(cli_accounts.getpass, "getpass", lambda prompt: next(answers))
    assert run(["accounts", "add", "sam", "--languages", "en"]) == 1
    assert "the two passwords differ" in capsys.readouterr().err
