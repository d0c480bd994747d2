"""`python -m bot partners add|list|remove|counts` and `python -m bot links <code>`: partner links and QR codes.

Links come from PASSAGE_TELEGRAM_BOT_USERNAME (t.me deep link), PASSAGE_WHATSAPP_NUMBER (wa.me link with
"start <code>" prefilled) and PASSAGE_PUBLIC_URL (web chat `/?partner=<code>`); a link whose variable is
unset is skipped with a note. QR codes are written as PNG (for print) and SVG (for posters) per language.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping, Optional
from urllib.parse import quote

from bot.db import utcnow, with_database
from bot.language import LANGUAGES
from bot.partners import PartnerError, PartnerRegistry, link_code, week_start


@dataclass(frozen=True)
class Link:
    channel: str  # telegram, whatsapp, web
    language: Optional[str]  # None: the link leaves the language to the person
    url: str


def partner_links(code: str, env: Mapping[str, str]) -> tuple[list[Link], list[str]]:
    """The links for a partner (language-neutral first, then one per language) and notes on what is missing."""
    links: list[Link] = []
    notes: list[str] = []
    bot = env.get("PASSAGE_TELEGRAM_BOT_USERNAME", "").strip().lstrip("@")
    number = "".join(c for c in env.get("PASSAGE_WHATSAPP_NUMBER", "") if c.isdigit())
    public = env.get("PASSAGE_PUBLIC_URL", "").strip().rstrip("/")
    for lang in (None, *LANGUAGES):
        start = link_code(code, lang)
        if bot:
            links.append(Link("telegram", lang, f"https://t.me/{bot}?start={start}"))
        if number:
            links.append(Link("whatsapp", lang, f"https://wa.me/{number}?text={quote('start ' + start)}"))
    if public:  # the web chat picks its language from the browser and the person's words
        links.append(Link("web", None, f"{public}/?partner={quote(code)}"))
    for name, value in (("PASSAGE_TELEGRAM_BOT_USERNAME", bot), ("PASSAGE_WHATSAPP_NUMBER", number), ("PASSAGE_PUBLIC_URL", public)):
        if not value:
            notes.append(f"{name} is not set: no {'Telegram' if 'TELEGRAM' in name else 'WhatsApp' if 'WHATSAPP' in name else 'web chat'} link")
    return links, notes


def qr_name(code: str, link: Link) -> str:
    return f"{code}-{link.channel}" + (f"-{link.language}" if link.language else "")


def write_qr_codes(code: str, links: list[Link], out: Path) -> list[Path]:
    """PNG and SVG per link; returns the files written."""
    import segno

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for link in links:
        qr = segno.make(link.url, error="m", micro=False)
        for suffix, options in ((".png", {"scale": 10, "border": 4}), (".svg", {"scale": 4, "border": 4, "title": link.url})):
            path = out / f"{qr_name(code, link)}{suffix}"
            qr.save(str(path), **options)
            written.append(path)
    return written


def _database_url() -> str:
    from bot.settings import Settings

    return Settings.from_env().database_url


def _with_registry(action: Callable[[PartnerRegistry], Awaitable[int]]) -> int:
    try:
        return asyncio.run(with_database(_database_url(), lambda engine: action(PartnerRegistry(engine))))
    except PartnerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _add(args: argparse.Namespace) -> int:
    async def action(registry: PartnerRegistry) -> int:
        partner = await registry.add(args.code, args.name, args.contact or "", args.language)
        print(f"added {partner.code}: {partner.name}")
        return 0

    return _with_registry(action)


def _list(args: argparse.Namespace) -> int:
    async def action(registry: PartnerRegistry) -> int:
        for partner in await registry.all():
            print(f"{partner.code}\t{partner.name}\t{partner.contact}\t{partner.default_language or '-'}")
        return 0

    return _with_registry(action)


def _remove(args: argparse.Namespace) -> int:
    async def action(registry: PartnerRegistry) -> int:
        if await registry.remove(args.code):
            print(f"removed {args.code} (its past conversations keep the code for the counts)")
            return 0
        print(f"error: no partner {args.code!r}", file=sys.stderr)
        return 1

    return _with_registry(action)


def _counts(args: argparse.Namespace) -> int:
    if args.weeks < 1:
        print("error: --weeks must be at least 1", file=sys.stderr)
        return 1

    async def action(registry: PartnerRegistry) -> int:
        counts = await registry.weekly_counts(args.weeks)
        current = week_start(utcnow())
        weeks = [current - timedelta(weeks=n) for n in reversed(range(args.weeks))]
        print("partner\t" + "\t".join(w.isoformat() for w in weeks))
        for code in sorted(counts):
            print(code + "\t" + "\t".join(str(counts[code].get(w, 0)) for w in weeks))
        return 0

    return _with_registry(action)


def _links(args: argparse.Namespace) -> int:
    async def action(registry: PartnerRegistry) -> int:
        if await registry.get(args.code) is None:
            print(f"error: no partner {args.code!r}; add it first with `python -m bot partners add {args.code} --name ...`", file=sys.stderr)
            return 1
        links, notes = partner_links(args.code, os.environ)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        for link in links:
            print(f"{link.channel}\t{link.language or 'any'}\t{link.url}")
        if args.out and links:
            files = write_qr_codes(args.code, links, Path(args.out))
            print(f"wrote {len(files)} QR code files to {args.out}")
        return 0

    return _with_registry(action)


def register(subparsers: Any) -> None:
    """Adds `partners` and `links` to the `python -m bot` command line."""
    partners = subparsers.add_parser("partners", help="manage partner organisations and see their weekly counts")
    commands = partners.add_subparsers(dest="partners_command", required=True)
    add = commands.add_parser("add", help="register a partner (code: 2-32 of a-z, 0-9, _)")
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--contact", default="")
    add.add_argument("--language", choices=LANGUAGES, help="the language most of its members write in")
    add.set_defaults(func=_add)
    commands.add_parser("list", help="list the partners").set_defaults(func=_list)
    remove = commands.add_parser("remove", help="remove a partner")
    remove.add_argument("code")
    remove.set_defaults(func=_remove)
    counts = commands.add_parser("counts", help="new conversations per partner per week (counts only)")
    counts.add_argument("--weeks", type=int, default=8)
    counts.set_defaults(func=_counts)

    links = subparsers.add_parser("links", help="print a partner's Telegram, WhatsApp and web links; write QR codes")
    links.add_argument("code")
    links.add_argument("--out", help="directory for the QR codes (PNG and SVG, one per channel and language)")
    links.set_defaults(func=_links)
