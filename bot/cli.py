"""Passage's command-line tool: `python -m bot <command>` (see `python -m bot --help`)."""
from __future__ import annotations

import argparse
import logging
from typing import Optional, Sequence

from bot import cli_accounts, cli_migrate, cli_partners


def _serve(args: argparse.Namespace) -> int:
    import asyncio

    import uvloop
    from aiohttp import web

    from bot.app import create_app
    from bot.settings import Settings

    settings = Settings.from_env()
    # uvloop (already installed with Rasa's Sanic) runs the gateway's event loop in C: less CPU per message.
    loop = uvloop.new_event_loop()
    asyncio.set_event_loop(loop)
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None, access_log=None, loop=loop)
    return 0


def _run(args: argparse.Namespace) -> int:
    from bot.launcher import run

    return run()


def _purge(args: argparse.Namespace) -> int:
    """Erases conversations idle for longer than the retention limit, in the gateway and in Rasa."""
    import asyncio

    from bot.app import build_gateway
    from bot.settings import Settings

    settings = Settings.from_env()

    async def purge() -> int:
        gateway, close = await build_gateway(settings)
        try:
            return await gateway.purge_older_than(args.older_than_days or settings.retention_days)
        finally:
            await close()

    print(f"erased {asyncio.run(purge())} conversation(s)")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from knowledge.__main__ import main as knowledge_main

    return knowledge_main(["validate", args.path])


def _coverage(args: argparse.Namespace) -> int:
    from knowledge.__main__ import main as knowledge_main

    argv = ["coverage", args.path]
    if args.csv:
        argv += ["--csv", args.csv]
    if args.html:
        argv += ["--html", args.html]
    return knowledge_main(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="passage", description="Passage: counselling chatbot gateway and tools")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start Rasa, the action server and the gateway").set_defaults(func=_run)
    commands.add_parser("serve", help="start only the gateway").set_defaults(func=_serve)
    purge = commands.add_parser("purge", help="erase conversations idle longer than the retention limit")
    purge.add_argument("--older-than-days", type=int, default=None)
    purge.set_defaults(func=_purge)
    validate = commands.add_parser("validate", help="check the country profiles (exit status 1 on errors)")
    validate.add_argument("path", nargs="?", default="country_profiles")
    validate.set_defaults(func=_validate)
    coverage = commands.add_parser("coverage", help="coverage report per country and topic")
    coverage.add_argument("path", nargs="?", default="country_profiles")
    coverage.add_argument("--csv")
    coverage.add_argument("--html")
    coverage.set_defaults(func=_coverage)
    cli_partners.register(commands)
    cli_accounts.register(commands)
    cli_migrate.register(commands)
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
