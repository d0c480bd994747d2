"""Partner organisations (diaspora associations, NGOs) whose links bring people to Passage.

A partner code is what travels in the links: `t.me/<bot>?start=<code>`, `wa.me/<number>?text=start <code>`
and `/?partner=<code>`. Format: `<partner>` or `<partner>-<lang>`, where `<partner>` is 2–32 lower-case
letters, digits or underscores (Telegram allows only `A-Za-z0-9_-` in a start parameter, so the hyphen is
kept free as the one separator) and `<lang>` is one of en, fr, ar, fa, bn. Only counts per partner are
ever reported, never who came through which link.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Optional

from sqlalchemy import Column, DateTime, String, Table, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import as_utc, conversations, metadata, utcnow
from bot.language import LANGUAGES

PARTNER_RE = re.compile(r"^[a-z0-9][a-z0-9_]{1,31}$")
_CODE_RE = re.compile(r"^(?P<partner>[a-z0-9][a-z0-9_]{1,31})(?:-(?P<lang>[a-z]{2}))?$")

partners = Table(
    "partners",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("contact", String(200), nullable=False, default=""),
    Column("default_language", String(2)),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
)


class PartnerError(ValueError):
    """A partner code or field is invalid, or the partner is unknown; the message says what to do."""


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    contact: str
    default_language: Optional[str]


@dataclass(frozen=True)
class PartnerCode:
    partner: str
    language: Optional[str]  # the language the link asks for, if any


def parse_code(raw: str) -> Optional[PartnerCode]:
    """The partner and language in a link code such as `caritas_lyon-fr`; None if it is not one."""
    match = _CODE_RE.match(raw.strip().lower())
    if not match:
        return None
    lang = match.group("lang")
    if lang is not None and lang not in LANGUAGES:
        return None
    return PartnerCode(match.group("partner"), lang)


def link_code(partner: str, lang: Optional[str] = None) -> str:
    return f"{partner}-{lang}" if lang else partner


def week_start(moment: datetime) -> date:
    """The Monday of the (UTC) week a moment falls in."""
    day = as_utc(moment).date()
    return day - timedelta(days=day.weekday())


class PartnerRegistry:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def add(self, code: str, name: str, contact: str = "", default_language: Optional[str] = None) -> Partner:
        code = code.strip().lower()
        if not PARTNER_RE.match(code):
            raise PartnerError(f"partner code {code!r} must be 2–32 lower-case letters, digits or underscores, starting with a letter or digit")
        if default_language is not None and default_language not in LANGUAGES:
            raise PartnerError(f"default language must be one of {', '.join(LANGUAGES)}, got {default_language!r}")
        if not name.strip():
            raise PartnerError("the partner needs a name")
        partner = Partner(code, name.strip(), contact.strip(), default_language)
        try:
            async with self.engine.begin() as connection:
                await connection.execute(insert(partners).values(code=code, name=partner.name, contact=partner.contact, default_language=default_language))
        except IntegrityError as error:
            raise PartnerError(f"partner {code!r} already exists") from error
        return partner

    async def remove(self, code: str) -> bool:
        async with self.engine.begin() as connection:
            result = await connection.execute(delete(partners).where(partners.c.code == code.strip().lower()))
        return bool(result.rowcount)

    async def get(self, code: str) -> Optional[Partner]:
        async with self.engine.connect() as connection:
            row = (await connection.execute(select(partners).where(partners.c.code == code))).first()
        return Partner(row.code, row.name, row.contact, row.default_language) if row else None

    async def all(self) -> list[Partner]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(select(partners).order_by(partners.c.code))
            return [Partner(r.code, r.name, r.contact, r.default_language) for r in rows]

    async def resolve(self, raw: str) -> Optional[tuple[Partner, Optional[str]]]:
        """The registered partner a link code names and the language it asks for; None otherwise."""
        code = parse_code(raw)
        if code is None:
            return None
        partner = await self.get(code.partner)
        return (partner, code.language) if partner else None

    async def weekly_counts(self, weeks: int = 8, now: Optional[datetime] = None) -> dict[str, dict[date, int]]:
        """New conversations per partner per week (Monday), the last `weeks` weeks including this one."""
        first = week_start(now or utcnow()) - timedelta(weeks=weeks - 1)
        since = datetime(first.year, first.month, first.day, tzinfo=timezone.utc)
        counts: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
        for partner in await self.all():
            counts[partner.code]  # registered partners appear even with no conversations
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(conversations.c.partner, conversations.c.created_at).where(
                    conversations.c.partner.isnot(None), conversations.c.created_at >= since
                )
            )
            for partner_code, created_at in rows:
                counts[partner_code][week_start(created_at)] += 1
        return {code: dict(weeks_) for code, weeks_ in counts.items()}
