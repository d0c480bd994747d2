"""`python -m bot accounts add|list`: counsellor, supervisor and admin accounts for the console.

The password is read with getpass (never from the command line, where it would stay in the shell's
history and the process list), or from PASSAGE_NEW_PASSWORD for scripted set-ups.
"""
from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from typing import Any, Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.accounts import LANGUAGES, ROLES, AccountError, create_account, list_accounts
from bot.db import with_database


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _with_engine(action: Callable[[AsyncEngine], Awaitable[int]]) -> int:
    from bot.settings import Settings

    try:
        return asyncio.run(with_database(Settings.from_env().database_url, action))
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _read_password() -> str:
    scripted = os.environ.get("PASSAGE_NEW_PASSWORD")
    if scripted is not None:
        return scripted
    first = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("Password again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def _add(args: argparse.Namespace) -> int:
    if args.role == "counsellor" and not _split(args.languages):
        print("error: a counsellor needs --languages (the handoffs they see are chosen by language)", file=sys.stderr)
        return 1
    try:
        password = _read_password()
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    async def action(engine: AsyncEngine) -> int:
        account_id = await create_account(
            engine, args.username, password, args.role, _split(args.languages), _split(args.countries), args.display_name or ""
        )
        print(f"created {args.role} {args.username!r} (id {account_id})")
        return 0

    return _with_engine(action)


def _list(args: argparse.Namespace) -> int:
    async def action(engine: AsyncEngine) -> int:
        print("id\tusername\trole\tlanguages\tcountries\tdisplay name")
        for account in await list_accounts(engine):
            print(
                f"{account.id}\t{account.username}\t{account.role}\t{','.join(account.languages) or '-'}\t"
                f"{','.join(account.countries) or 'all'}\t{account.display_name}"
            )
        return 0

    return _with_engine(action)


def register(subparsers: Any) -> None:
    """Adds `accounts add|list` to the `python -m bot` command line."""
    accounts = subparsers.add_parser("accounts", help="manage console accounts (counsellors, supervisors, admins)")
    commands = accounts.add_subparsers(dest="accounts_command", required=True)
    add = commands.add_parser("add", help="create an account; the password is asked for (or PASSAGE_NEW_PASSWORD)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="counsellor")
    add.add_argument("--languages", default="", help=f"comma-separated, from {','.join(LANGUAGES)}")
    add.add_argument("--countries", default="", help="comma-separated ISO 3166-1 codes such as SN,ML; empty: all countries")
    add.add_argument("--display-name", default="", help="shown to colleagues (defaults to the username)")
    add.set_defaults(func=_add)
    commands.add_parser("list", help="list the accounts").set_defaults(func=_list)
