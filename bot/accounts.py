"""Counsellor accounts: created from the command line, passwords hashed with Argon2id."""
from __future__ import annotations

from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import accounts
from bot.handoff import Account

ROLES = ("counsellor", "supervisor", "admin")
LANGUAGES = ("en", "fr", "ar", "fa", "bn")
_hasher = PasswordHasher()


class AccountError(ValueError):
    """The account cannot be created as asked; the message says what to change."""


def _codes(values: list[str], allowed: Optional[tuple[str, ...]], what: str) -> str:
    codes = [v.strip() for v in values if v.strip()]
    for code in codes:
        if allowed is not None and code not in allowed:
            raise AccountError(f"unknown {what} {code!r}; use one of {', '.join(allowed)}")
        if allowed is None and not (len(code) == 2 and code.isalpha() and code.isupper()):
            raise AccountError(f"{what} {code!r} must be an ISO 3166-1 alpha-2 code such as SN")
    return ",".join(codes)


async def create_account(
    engine: AsyncEngine, username: str, password: str, role: str, languages: list[str], countries: list[str], display_name: str = ""
) -> int:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 12:
        raise AccountError("the password must have at least 12 characters")
    if not username.strip():
        raise AccountError("the username must not be empty")
    async with engine.begin() as connection:
        if (await connection.execute(select(accounts.c.id).where(accounts.c.username == username))).first():
            raise AccountError(f"an account named {username!r} already exists")
        result = await connection.execute(
            insert(accounts).values(
                username=username,
                display_name=display_name or username,
                password_hash=_hasher.hash(password),
                role=role,
                languages=_codes(languages, LANGUAGES, "language"),
                countries=_codes(countries, None, "country"),
            )
        )
        return int(result.inserted_primary_key[0])


async def authenticate(engine: AsyncEngine, username: str, password: str) -> Optional[Account]:
    """The account if the password matches; rehashes when Argon2's parameters changed."""
    async with engine.connect() as connection:
        row = (await connection.execute(select(accounts).where(accounts.c.username == username))).first()
    if row is None:
        _hasher.hash(password)  # same work either way, so timing does not reveal which usernames exist
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        async with engine.begin() as connection:
            await connection.execute(update(accounts).where(accounts.c.id == row.id).values(password_hash=_hasher.hash(password)))
    return Account.from_row(row)


async def account_by_id(engine: AsyncEngine, account_id: int) -> Optional[Account]:
    async with engine.connect() as connection:
        row = (await connection.execute(select(accounts).where(accounts.c.id == account_id))).first()
    return Account.from_row(row) if row else None


async def list_accounts(engine: AsyncEngine) -> list[Account]:
    async with engine.connect() as connection:
        return [Account.from_row(row) for row in await connection.execute(select(accounts).order_by(accounts.c.username))]
