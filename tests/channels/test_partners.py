"""Partner registry, link codes, weekly counts, and the `partners` / `links` commands with their QR codes."""
from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

import pytest
import segno
from PIL import Image
from sqlalchemy import insert

from bot import cli_partners
from bot.db import conversations, create_schema, make_engine
from bot.partners import PartnerCode, PartnerError, PartnerRegistry, parse_code, week_start


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("caritas", PartnerCode("caritas", None)),
        ("caritas_lyon-fr", PartnerCode("caritas_lyon", "fr")),
        ("  Caritas-BN ", PartnerCode("caritas", "bn")),
        ("caritas-de", None),  # not one of Passage's languages
        ("a", None),
        ("bad code", None),
        ("x" * 33, None),
    ],
)
def test_parse_code(raw: str, expected: PartnerCode | None) -> None:
    assert parse_code(raw) == expected


@pytest.mark.asyncio
async def test_registry_and_weekly_counts(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    await create_schema(engine)
    registry = PartnerRegistry(engine)
    await registry.add("caritas", "Caritas", "a@b.org", "fr")
    with pytest.raises(PartnerError, match="already exists"):
        await registry.add("caritas", "Again")
    with pytest.raises(PartnerError, match="lower-case"):
        await registry.add("Has-Hyphen", "X")
    now = datetime(2024, 5, 15, 12, tzinfo=timezone.utc)  # a Wednesday
    async with engine.begin() as connection:
        for day, partner in ((15, "caritas"), (13, "caritas"), (8, "caritas"), (14, None), (14, "unregistered")):
            await connection.execute(insert(conversations).values(id=f"c{day}{partner}", channel="web", language_locked=False, partner=partner, created_at=datetime(2024, 5, day, 9, tzinfo=timezone.utc)))
    counts = await registry.weekly_counts(2, now=now)
    assert counts["caritas"] == {week_start(now): 2, datetime(2024, 5, 6).date(): 1}
    assert counts["unregistered"] == {week_start(now): 1}
    assert await registry.resolve("caritas-ar") == ((await registry.get("caritas")), "ar")
    assert await registry.resolve("nobody") is None
    assert await registry.remove("caritas") and not await registry.remove("caritas")
    await engine.dispose()


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="passage")
    cli_partners.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def _png_matrix(path: Path, size: int, scale: int = 10, border: int = 4) -> list[list[int]]:
    image = Image.open(path).convert("L")
    return [[int(image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128) for x in range(size)] for y in range(size)]


def test_partners_cli_links_and_qr_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PASSAGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PASSAGE_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PASSAGE_TELEGRAM_BOT_USERNAME", "@PassageHelpBot")
    monkeypatch.setenv("PASSAGE_WHATSAPP_NUMBER", "+33 6 12 34 56 78")
    monkeypatch.setenv("PASSAGE_PUBLIC_URL", "https://passage.example.org/")

    assert run_cli(["partners", "add", "caritas_lyon", "--name", "Caritas Lyon", "--contact", "lyon@caritas.example", "--language", "fr"]) == 0
    assert run_cli(["partners", "add", "caritas_lyon", "--name", "Twice"]) == 1
    assert run_cli(["partners", "list"]) == 0
    assert "caritas_lyon\tCaritas Lyon\tlyon@caritas.example\tfr" in capsys.readouterr().out
    assert run_cli(["links", "unknown_org"]) == 1

    out = tmp_path / "qr"
    assert run_cli(["links", "caritas_lyon", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "telegram\tany\thttps://t.me/PassageHelpBot?start=caritas_lyon\n" in printed
    assert "telegram\tfr\thttps://t.me/PassageHelpBot?start=caritas_lyon-fr\n" in printed
    assert "whatsapp\tar\thttps://wa.me/33612345678?text=start%20caritas_lyon-ar\n" in printed
    assert "web\tany\thttps://passage.example.org/?partner=caritas_lyon\n" in printed
    assert len(list(out.glob("*.png"))) == len(list(out.glob("*.svg"))) == 13  # (1 + 5 languages) × 2 + web

    link = "https://t.me/PassageHelpBot?start=caritas_lyon-bn"
    expected = segno.make(link, error="m", micro=False)
    size = expected.symbol_size(scale=1, border=0)[0]
    assert _png_matrix(out / "caritas_lyon-telegram-bn.png", size) == [list(row) for row in expected.matrix]
    assert link in (out / "caritas_lyon-telegram-bn.svg").read_text()

    assert run_cli(["partners", "counts", "--weeks", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("partner\t") and len(lines[0].split("\t")) == 4
    assert lines[1] == "caritas_lyon\t0\t0\t0"
    assert run_cli(["partners", "remove", "caritas_lyon"]) == 0
