"""Telegram and WhatsApp, switched on by their credentials; both go through the same `Gateway.handle`.

`setup_channels(app, settings)` adds the routes and start/stop hooks of each configured channel and
returns their names. `push(app, conversation_id, messages, language)` sends later messages (a counsellor's
reply) to whichever channel a conversation came from; each channel registers it with the handoff queue.
"""
from __future__ import annotations

import logging
from typing import Any, AsyncIterator, Mapping, Optional, Protocol

from aiohttp import web

from bot import partners as _partners  # noqa: F401 - registers the partners table with create_schema
from bot.app_keys import GATEWAY
from bot.channels import config as channel_config
from bot.channels.addresses import AddressBook
from bot.channels.common import Services
from bot.channels.dedup import SeenMessages
from bot.channels.payloads import PayloadKeys
from bot.partners import PartnerRegistry
from bot.settings import Settings

logger = logging.getLogger(__name__)


class Pusher(Protocol):
    async def push(self, address: str, messages: list[dict[str, Any]], language: str) -> bool: ...


PUSHERS = web.AppKey("channel_pushers", dict)  # channel name -> object with async push(address, messages, language)
ADDRESSES = web.AppKey("channel_addresses", AddressBook)


def _services(app: web.Application, settings: Settings) -> Services:
    if GATEWAY not in app:
        raise RuntimeError("setup_channels() must be called after the gateway's cleanup_ctx is appended in create_app")
    gateway = app[GATEWAY]
    engine = gateway.store.engine
    if ADDRESSES not in app:
        app[ADDRESSES] = AddressBook(engine, settings.pseudonym_secret)
    return Services(gateway, app[ADDRESSES], PartnerRegistry(engine), PayloadKeys(engine))


def _register_delivery(app: web.Application, name: str) -> None:
    """Counsellors' replies (bot/handoff.py) reach Telegram and WhatsApp users through push()."""
    handoffs = getattr(app[GATEWAY], "handoffs", None)
    if handoffs is None:
        return

    async def deliver(conversation_id: str, channel: str, messages: list[dict[str, Any]], language: str) -> None:
        await push(app, conversation_id, messages, language)

    handoffs.register_delivery(name, deliver)


def setup_channels(app: web.Application, settings: Settings, environ: Optional[Mapping[str, str]] = None) -> list[str]:
    """Adds the configured channels to the app; the names of those that are on (ChannelConfigError if half-set)."""
    config = channel_config.from_env(environ)
    app[PUSHERS] = {}
    enabled: list[str] = []

    if config.telegram is not None:
        from bot.channels.telegram import WEBHOOK_PATH as TELEGRAM_PATH
        from bot.channels.telegram import TelegramChannel

        telegram_config = config.telegram

        async def telegram(app: web.Application) -> AsyncIterator[None]:
            channel = TelegramChannel(telegram_config, _services(app, settings))
            await channel.start()
            app[PUSHERS]["telegram"] = channel
            _register_delivery(app, "telegram")
            yield
            app[PUSHERS].pop("telegram", None)
            await channel.stop()

        async def telegram_webhook(request: web.Request) -> web.StreamResponse:
            channel = request.app[PUSHERS].get("telegram")
            return await channel.webhook(request) if channel else web.Response(status=503)

        app.cleanup_ctx.append(telegram)
        if telegram_config.mode == "webhook":
            app.router.add_post(TELEGRAM_PATH, telegram_webhook)
        enabled.append(f"telegram ({telegram_config.mode})")

    if config.whatsapp is not None:
        from bot.channels.whatsapp import WEBHOOK_PATH as WHATSAPP_PATH
        from bot.channels.whatsapp import WhatsAppChannel

        whatsapp_config = config.whatsapp

        async def whatsapp(app: web.Application) -> AsyncIterator[None]:
            services = _services(app, settings)
            channel = WhatsAppChannel(whatsapp_config, services, SeenMessages(services.addresses.engine, "whatsapp"))
            await channel.start()
            app[PUSHERS]["whatsapp"] = channel
            _register_delivery(app, "whatsapp")
            yield
            app[PUSHERS].pop("whatsapp", None)
            await channel.stop()

        async def whatsapp_verify(request: web.Request) -> web.StreamResponse:
            channel = request.app[PUSHERS].get("whatsapp")
            return await channel.verify(request) if channel else web.Response(status=503)

        async def whatsapp_webhook(request: web.Request) -> web.StreamResponse:
            channel = request.app[PUSHERS].get("whatsapp")
            return await channel.webhook(request) if channel else web.Response(status=503)

        app.cleanup_ctx.append(whatsapp)
        app.router.add_get(WHATSAPP_PATH, whatsapp_verify)
        app.router.add_post(WHATSAPP_PATH, whatsapp_webhook)
        enabled.append("whatsapp")
    return enabled


async def push(app: web.Application, conversation_id: str, messages: list[dict[str, Any]], language: str) -> bool:
    """Sends messages to a conversation on its own channel; False if it cannot be reached (no address,
    channel off, user blocked the bot, WhatsApp window closed). The web chat cannot be pushed to yet."""
    if ADDRESSES not in app:
        return False
    known = await app[ADDRESSES].get(conversation_id)
    channel: Optional[Pusher] = app[PUSHERS].get(known.channel) if known else None
    if known is None or channel is None:
        logger.info("push impossible: conversation=%s", conversation_id[:10])
        return False
    return await channel.push(known.address, messages, language)
