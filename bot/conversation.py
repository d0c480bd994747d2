"""One path for every channel: clean → pseudonymise → detect language → Rasa → reply.

Telegram, WhatsApp and the web chat all call `Gateway.handle`; what differs between them is only
how a message arrives and how the reply is rendered.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Optional

from bot import language, texts
from bot.handoff import Handoffs, QueueInfo
from bot.pseudonym import pseudonymise
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.sanitise import clean
from bot.store import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Incoming:
    channel: str  # "web", "telegram", "whatsapp"
    user_id: str  # the channel's own id; never leaves the gateway
    text: str
    language_hint: Optional[str] = None  # e.g. Telegram's language_code
    partner: Optional[str] = None  # partner organisation code from a deep link


@dataclass
class Reply:
    conversation_id: str
    language: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    intent: Optional[dict[str, Any]] = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    handoff: Optional[dict[str, Any]] = None
    deleted: bool = False


def _bot_message(raw: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"text": raw.get("text", "")}
    if raw.get("buttons"):
        message["buttons"] = [{"title": b.get("title", ""), "payload": b.get("payload", "")} for b in raw["buttons"]]
    return message


def queue_message(info: QueueInfo, lang: str, office_hours: dict[str, str]) -> dict[str, Any]:
    """What the user is told honestly before a counsellor joins: who is online, place in queue, hours."""
    if info.counsellor_online:
        body = texts.text(lang, "handoff_online", position=info.position)
    else:
        hours = office_hours.get(lang) or office_hours.get("en", "")
        body = texts.text(lang, "handoff_offline", position=info.position, hours=hours)
    if info.priority == "emergency":
        body = f"{texts.text(lang, 'handoff_emergency')} {body}"
    return {"text": body}


class Gateway:
    def __init__(
        self,
        store: Store,
        rasa: RasaClient,
        handoffs: Handoffs,
        pseudonym_secret: str,
        max_message_chars: int = 4000,
        office_hours: Optional[dict[str, str]] = None,
    ) -> None:
        self.store = store
        self.rasa = rasa
        self.handoffs = handoffs
        self._secret = pseudonym_secret
        self._max_chars = max_message_chars
        self._office_hours = office_hours or {}

    def conversation_id(self, channel: str, user_id: str) -> str:
        return pseudonymise(self._secret, channel, user_id)

    async def handle(self, incoming: Incoming) -> Reply:
        conversation_id = self.conversation_id(incoming.channel, incoming.user_id)
        conversation = await self.store.conversation(conversation_id, incoming.channel)
        text, cut = clean(incoming.text, self._max_chars)
        if not text:
            lang = conversation.language or language.detect("", hint=incoming.language_hint).language
            return Reply(conversation_id, lang, [{"text": texts.text(lang, "empty_message")}])

        decision = language.detect(text, conversation.language, incoming.language_hint, conversation.language_locked)
        changes: dict[str, Any] = {"language": decision.language, "language_locked": decision.explicit}
        if incoming.partner and not conversation.partner:
            changes["partner"] = incoming.partner
        await self.store.update(conversation_id, **changes)
        await self.store.add_message(conversation_id, "user", text, decision.language)
        logger.info("message in: conversation=%s channel=%s language=%s chars=%d", conversation_id[:10], incoming.channel, decision.language, len(text))

        reply = Reply(conversation_id, decision.language)
        active = await self.handoffs.active(conversation_id)
        if active is not None:
            # A counsellor has the conversation: the bot stays silent and Rasa is not asked.
            reply.handoff = {"status": active.status, "priority": active.priority}
            await self.handoffs.events.publish("message", handoff_id=active.id, author="user")
            return reply
        if cut:
            reply.messages.append({"text": texts.text(decision.language, "too_long")})
        try:
            result = await self.rasa.send(conversation_id, text, {"language": decision.language})
        except RasaUnavailable as error:
            logger.warning("rasa unavailable: conversation=%s error=%s", conversation_id[:10], error)
            reply.messages.append({"text": texts.text(decision.language, "unavailable")})
            return reply

        reply.intent = result.intent
        reply.entities = [e for e in result.entities if e.get("extractor") != "GatewayLanguage"]
        for raw in result.messages:
            signal = (raw.get("custom") or {}).get("passage")
            if signal:
                reply.handoff = signal.get("handoff") or reply.handoff
                reply.deleted = reply.deleted or bool(signal.get("delete"))
            elif raw.get("text"):
                reply.messages.append(_bot_message(raw))
        if reply.handoff is not None:
            summary = {**reply.handoff.get("summary", {}), "partner": conversation.partner or incoming.partner}
            summary = {key: value for key, value in summary.items() if value}
            info = await self.handoffs.open(
                conversation_id, reply.handoff.get("priority", "normal"), reply.handoff.get("reason", "user_request"), decision.language, summary
            )
            reply.messages.append(queue_message(info, decision.language, self._office_hours))
            reply.handoff = {"status": "waiting", "priority": info.priority, "position": info.position}
        for message in reply.messages:
            await self.store.add_message(conversation_id, "bot", message["text"], decision.language)
        if reply.deleted:
            await self.store.forget(conversation_id)
        return reply
