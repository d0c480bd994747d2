"""Tells counsellors that someone is waiting: e-mail and/or a Telegram group message.

A notification says only "new handoff #id, language, priority, link": never what the person wrote,
never who they are. Mail and group chats are read on phones and kept for years.

Environment (all optional; nothing set means no notifications):
  PASSAGE_NOTIFY_EMAIL           comma-separated recipients; needs PASSAGE_SMTP_HOST and PASSAGE_SMTP_FROM
  PASSAGE_SMTP_HOST, PASSAGE_SMTP_PORT (25), PASSAGE_SMTP_FROM, PASSAGE_SMTP_USER,
  PASSAGE_SMTP_PASSWORD, PASSAGE_SMTP_STARTTLS   the shared SMTP settings (bot/mail.py)
  PASSAGE_NOTIFY_TELEGRAM_CHAT   the counsellors' group chat id; needs PASSAGE_TELEGRAM_TOKEN
  PASSAGE_TELEGRAM_API_URL       Bot API base (a local Bot API server or a test fake)
  PASSAGE_PUBLIC_URL             makes the link absolute (otherwise /console/handoffs/<id>)

With several gateways sharing a Redis event bus every instance hears every event; the
`console_notifications` table (one row per handoff and priority) makes sure only one of them sends.
"""
from __future__ import annotations

import asyncio
import logging
import smtplib
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Mapping, Optional

from aiohttp import web
from sqlalchemy import Column, DateTime, Integer, String, Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import mail
from bot.app_keys import GATEWAY
from bot.db import metadata, utcnow
from bot.events import EventBus
from bot.settings import SettingsError

logger = logging.getLogger(__name__)

console_notifications = Table(
    "console_notifications",
    metadata,
    Column("handoff_id", Integer, primary_key=True),  # no foreign key: a purged handoff keeps no trace but this number
    Column("priority", String(16), primary_key=True),
    Column("sent_at", DateTime(timezone=True), nullable=False, default=utcnow),
)


@dataclass(frozen=True)
class NotifyConfig:
    email_to: tuple[str, ...] = ()
    smtp: mail.SmtpConfig = mail.SmtpConfig()
    telegram_chat: str = ""
    telegram_token: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    public_url: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.email_to or self.telegram_chat)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> NotifyConfig:
        """Checked at start-up: a half-configured notification names what is missing."""
        get = lambda name: env.get(name, "").strip()  # noqa: E731
        email_to = tuple(address.strip() for address in get("PASSAGE_NOTIFY_EMAIL").split(",") if address.strip())
        if email_to:
            missing = [name for name in ("PASSAGE_SMTP_HOST", "PASSAGE_SMTP_FROM") if not get(name)]
            if missing:
                raise SettingsError(f"PASSAGE_NOTIFY_EMAIL is set, so {' and '.join(missing)} must be set too")
        if get("PASSAGE_NOTIFY_TELEGRAM_CHAT") and not get("PASSAGE_TELEGRAM_TOKEN"):
            raise SettingsError("PASSAGE_NOTIFY_TELEGRAM_CHAT is set, so PASSAGE_TELEGRAM_TOKEN must be set too")
        return cls(
            email_to=email_to,
            smtp=mail.SmtpConfig.from_env(env),
            telegram_chat=get("PASSAGE_NOTIFY_TELEGRAM_CHAT"),
            telegram_token=get("PASSAGE_TELEGRAM_TOKEN"),
            telegram_api_url=(get("PASSAGE_TELEGRAM_API_URL") or "https://api.telegram.org").rstrip("/"),
            public_url=get("PASSAGE_PUBLIC_URL").rstrip("/"),
        )


def notification_text(handoff_id: int, language: Optional[str], priority: str, link: str) -> str:
    """The whole notification; deliberately nothing about the person or their words."""
    urgent = "URGENT " if priority == "emergency" else ""
    return f"Passage: {urgent}new handoff #{handoff_id}\nlanguage: {language or 'unknown'}\npriority: {priority}\n{link}"


class Notifier:
    def __init__(self, config: NotifyConfig, engine: AsyncEngine) -> None:
        self.config = config
        self.engine = engine
        self._bot: Any = None

    async def _first_to_announce(self, handoff_id: int, priority: str) -> bool:
        """True for the one gateway that records this announcement first; an emergency outranks normal."""
        try:
            async with self.engine.begin() as connection:
                done = set((await connection.execute(select(console_notifications.c.priority).where(console_notifications.c.handoff_id == handoff_id))).scalars())
                if priority in done or "emergency" in done:
                    return False
                await connection.execute(insert(console_notifications).values(handoff_id=handoff_id, priority=priority))
        except IntegrityError:  # another gateway recorded it a moment earlier (the transaction is rolled back)
            return False
        return True

    def _link(self, handoff_id: int) -> str:
        return f"{self.config.public_url}/console/handoffs/{handoff_id}"

    async def handle(self, event: dict[str, Any]) -> None:
        """Announces a new handoff once, and once more if it becomes an emergency."""
        if event.get("kind") != "handoff_opened" or not isinstance(event.get("handoff_id"), int):
            return
        handoff_id, priority = event["handoff_id"], str(event.get("priority") or "normal")
        if priority not in ("normal", "emergency") or not await self._first_to_announce(handoff_id, priority):
            return
        text = notification_text(handoff_id, event.get("language"), priority, self._link(handoff_id))
        if self.config.email_to:
            try:
                subject = f"Passage: {'URGENT ' if priority == 'emergency' else ''}new handoff #{handoff_id}"
                await mail.send_async(self.config.smtp, self.config.email_to, subject, text)
            except (OSError, smtplib.SMTPException) as error:
                logger.warning("handoff notification e-mail failed: id=%s error=%s", handoff_id, type(error).__name__)
        if self.config.telegram_chat:
            await self._send_telegram(handoff_id, text)

    async def _send_telegram(self, handoff_id: int, text: str) -> None:
        from telegram import Bot
        from telegram.error import TelegramError

        try:
            if self._bot is None:
                bot = Bot(self.config.telegram_token, base_url=f"{self.config.telegram_api_url}/bot")
                await bot.initialize()  # opens the HTTP client that close() shuts down again
                self._bot = bot
            await self._bot.send_message(chat_id=self.config.telegram_chat, text=text)
        except TelegramError as error:
            logger.warning("handoff notification to Telegram failed: id=%s error=%s", handoff_id, type(error).__name__)

    async def run(self, events: EventBus) -> None:
        async for event in events.subscribe():
            try:
                await self.handle(event)
            except Exception as error:  # one failed notification must not end all later ones; logged, no content
                logger.error("handoff notification failed: id=%s error=%s", event.get("handoff_id"), type(error).__name__)

    async def close(self) -> None:
        if self._bot is not None:
            await self._bot.shutdown()


def notifications(config: NotifyConfig) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup_ctx that listens for new handoffs while the gateway runs (only when configured)."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        if not config.enabled:
            yield
            return
        notifier = Notifier(config, app[GATEWAY].store.engine)
        task = asyncio.create_task(notifier.run(app[GATEWAY].handoffs.events))
        await asyncio.sleep(0)  # subscribed before the first request can open a handoff
        yield
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        await notifier.close()

    return context
