"""What Telegram and WhatsApp share: the services they use and the gateway round trip around a message."""
from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Optional, Protocol

import yaml

from bot import texts
from bot.channels.addresses import AddressBook
from bot.channels.payloads import PayloadKeys
from bot.conversation import Incoming, Reply
from bot.language import DEFAULT, LANGUAGES
from bot.partners import PartnerRegistry

logger = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")
GREET = "/greet"  # what a partner link's first contact and /help send to Rasa


class GatewayLike(Protocol):
    async def handle(self, incoming: Incoming) -> Reply: ...

    def conversation_id(self, channel: str, user_id: str) -> str: ...


@dataclass
class Services:
    gateway: GatewayLike
    addresses: AddressBook
    partners: PartnerRegistry
    payloads: PayloadKeys


@cache
def data_file(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


class ConversationLocks:
    """One lock per conversation, so two quick messages from one person are answered in order."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def __call__(self, conversation_id: str) -> asyncio.Lock:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        return lock


def hint_language(hint: Optional[str]) -> str:
    lang = (hint or "").split("-")[0].lower()
    return lang if lang in LANGUAGES else DEFAULT


async def reply_language(services: Services, conversation_id: str, hint: Optional[str]) -> str:
    """The language to answer in without asking Rasa (media, /language): the last reply's, or the hint's."""
    known = await services.addresses.get(conversation_id)
    return known.language if known and known.language else hint_language(hint)


async def partner_start(services: Services, code: str, hint: Optional[str]) -> Optional[tuple[str, Optional[str]]]:
    """(partner code, language hint) for a registered partner link code, else None.

    The hint is the link's language if it names one, else the partner's default language, else the
    channel's own hint: the gateway treats it as a hint only, so the user's own words still decide.
    """
    resolved = await services.partners.resolve(code)
    if resolved is None:
        return None
    partner, lang = resolved
    return partner.code, lang or partner.default_language or hint


async def exchange(services: Services, incoming: Incoming, address: str, at: Optional[datetime] = None) -> Reply:
    """Gateway round trip plus the channel bookkeeping: the address for later pushes, the reply's language."""
    reply = await services.gateway.handle(incoming)
    if reply.deleted:
        await services.addresses.forget(reply.conversation_id)
    else:
        await services.addresses.inbound(reply.conversation_id, incoming.channel, address, at)
        await services.addresses.set(reply.conversation_id, language=reply.language)
    if reply.handoff:
        logger.info("handoff requested: conversation=%s channel=%s", reply.conversation_id[:10], incoming.channel)
    return reply


def gateway_text(lang: str, key: str) -> str:
    return texts.text(lang, key)
