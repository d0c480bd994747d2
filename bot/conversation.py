"""One path for every channel: clean → pseudonymise → detect language → Rasa → reply.

Telegram, WhatsApp and the web chat all call `Gateway.handle`; what differs between them is only
how a message arrives and how the reply is rendered.
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Optional

from bot import language, plans, texts
from bot.consular import ConsularReferrals
from bot.db import utcnow
from bot.handoff import Handoffs, QueueInfo
from bot.inbox import Inbox
from bot.pseudonym import pseudonymise
from bot.rasa_client import RasaClient, RasaResult, RasaUnavailable
from bot.rate_limit import RateLimiter
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
    client_message_id: Optional[str] = None  # lets a client retry through another gateway without a double answer


@dataclass
class Reply:
    conversation_id: str
    language: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    intent: Optional[dict[str, Any]] = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    handoff: Optional[dict[str, Any]] = None
    deleted: bool = False
    pending: bool = False  # Rasa could not answer yet; the answer will follow


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
        inbox: Optional[Inbox] = None,
        rate_limiter: Optional[RateLimiter] = None,
        organisation: str = "",
        retention_days: int = 30,
        consular: Optional[ConsularReferrals] = None,
    ) -> None:
        self.store = store
        self.rasa = rasa
        self.handoffs = handoffs
        self.inbox = inbox or Inbox(store.engine)
        self.rate_limiter = rate_limiter or RateLimiter()
        self._secret = pseudonym_secret
        self._max_chars = max_message_chars
        self._office_hours = office_hours or {}
        self._organisation = organisation
        self.retention_days = retention_days
        self.consular = consular or ConsularReferrals(store.engine)  # without SMTP: recorded, never sent

    def conversation_id(self, channel: str, user_id: str) -> str:
        return pseudonymise(self._secret, channel, user_id)

    async def handle(self, incoming: Incoming) -> Reply:
        conversation_id = self.conversation_id(incoming.channel, incoming.user_id)
        text, cut = clean(incoming.text, self._max_chars)
        # Everything before Rasa in one transaction: what is known of the conversation, and the message.
        async with self.store.engine.begin() as connection:
            conversation = await self.store.conversation(conversation_id, incoming.channel, connection)
            if not text:
                lang = conversation.language or language.detect("", hint=incoming.language_hint).language
                return Reply(conversation_id, lang, [{"text": texts.text(lang, "empty_message")}])
            decision = language.detect(text, conversation.language, incoming.language_hint, conversation.language_locked)
            changes: dict[str, Any] = {"language": decision.language, "language_locked": decision.explicit}
            if incoming.partner and not conversation.partner:
                changes["partner"] = incoming.partner
            await self.store.record_incoming(conversation_id, text, decision.language, connection, **changes)
            active = await self.handoffs.active(conversation_id, connection)
            pending = active is None and await self.inbox.has_pending(conversation_id, connection)
        logger.info("message in: conversation=%s channel=%s language=%s chars=%d", conversation_id[:10], incoming.channel, decision.language, len(text))

        lang = decision.language
        message_id = (
            hashlib.sha256(f"{conversation_id}:{incoming.client_message_id}".encode()).hexdigest()[:32]
            if incoming.client_message_id
            else uuid.uuid4().hex
        )
        reply = Reply(conversation_id, lang)
        if conversation.created:
            reply.messages.append(
                {"text": texts.text(lang, "privacy_notice", organisation=self._organisation, retention_days=self.retention_days)}
            )
        if not await self.rate_limiter.allow(conversation_id):
            reply.messages.append({"text": texts.text(lang, "rate_limited")})
            return await self._record(reply)
        if active is not None:
            # A counsellor has the conversation: the bot stays silent and Rasa is not asked.
            reply.handoff = {"status": active.status, "priority": active.priority}
            await self.handoffs.events.publish("message", handoff_id=active.id, author="user")
            return reply
        if cut:
            reply.messages.append({"text": texts.text(lang, "too_long")})
        if pending:
            # Earlier messages still wait for Rasa: this one queues behind them, so order is kept.
            return await self._keep_for_later(reply, text, message_id)
        try:
            # a client-chosen id may be a retry through another gateway
            result = await self.rasa.send(conversation_id, text, {"language": lang}, message_id, retry=bool(incoming.client_message_id))
        except RasaUnavailable as error:
            logger.warning("rasa unavailable: conversation=%s error=%s", conversation_id[:10], error)
            return await self._keep_for_later(reply, text, message_id)
        return await self._apply(reply, result, conversation.partner or incoming.partner, text)

    async def _keep_for_later(self, reply: Reply, text: str, message_id: str) -> Reply:
        """The message waits durably in the inbox; the user is told it was received."""
        await self.inbox.add(reply.conversation_id, text, reply.language, message_id)
        reply.messages.append({"text": texts.text(reply.language, "unavailable")})
        reply.pending = True
        return await self._record(reply)

    async def _apply(self, reply: Reply, result: RasaResult, partner: Optional[str], user_text: Optional[str] = None) -> Reply:
        """Turns Rasa's answer into the reply: messages shown, signals (handoff, deletion, consular
        referral) acted on. `user_text` is what the user sent this turn: a referral needs their button."""
        reply.intent = result.intent
        reply.entities = [e for e in result.entities if e.get("extractor") != "GatewayLanguage"]
        offer = referral = None
        for raw in result.messages:
            signal = (raw.get("custom") or {}).get("passage")
            if signal:
                reply.handoff = signal.get("handoff") or reply.handoff
                reply.deleted = reply.deleted or bool(signal.get("delete"))
                offer = signal.get("consular_offer") or offer
                referral = signal.get("consular_referral") or referral
            elif raw.get("text"):
                reply.messages.append(_bot_message(raw))
        if offer is not None:
            await self.consular.record_offer(reply.conversation_id, offer, [m["text"] for m in reply.messages], reply.language)
        if referral is not None:
            outcome = await self.consular.refer(reply.conversation_id, referral, user_text, reply.language)
            reply.messages.append({"text": outcome.message(reply.language)})
            if outcome.status == "not_sent" and reply.handoff is None:
                # "A counsellor will follow up" is only said because it is true: the handoff is opened here.
                reply.handoff = {"priority": "normal", "reason": "consular_referral", "summary": {"consular_referral": "not sent"}}
        if reply.handoff is not None:
            summary = {**reply.handoff.get("summary", {}), "partner": partner}
            summary = {key: value for key, value in summary.items() if value}
            info = await self.handoffs.open(
                reply.conversation_id, reply.handoff.get("priority", "normal"), reply.handoff.get("reason", "user_request"), reply.language, summary
            )
            reply.messages.append(queue_message(info, reply.language, self._office_hours))
            reply.handoff = {"status": "waiting", "priority": info.priority, "position": info.position}
        if reply.deleted:
            await self.forget(reply.conversation_id)
            return reply
        return await self._record(reply)

    async def _record(self, reply: Reply) -> Reply:
        texts_sent = [m["text"] for m in reply.messages]
        await self.store.add_messages(reply.conversation_id, "bot", texts_sent, reply.language)
        await plans.remember(self.store.engine, reply.conversation_id, texts_sent)
        return reply

    async def forget(self, conversation_id: str) -> None:
        """Deletion everywhere: the gateway's records (cascading to handoffs, addresses, inbox) and Rasa's tracker.
        Consent records to consulates stay, without the text and without the conversation's id (bot/consular.py)."""
        await plans.delete_files(self.store.engine, conversation_id)
        await self.consular.forget(conversation_id)
        await self.store.forget(conversation_id)
        try:
            await self.rasa.erase(conversation_id)
        except RasaUnavailable as error:
            logger.error("could not erase Rasa tracker for conversation=%s (%s); retry with `python -m bot purge`", conversation_id[:10], error)
        logger.info("conversation deleted: conversation=%s", conversation_id[:10])

    async def purge_older_than(self, days: int) -> int:
        """The retention limit: erases conversations idle for more than `days` days."""
        idle = await self.store.idle_since(utcnow() - timedelta(days=days))
        for conversation_id in idle:
            await self.forget(conversation_id)
        return len(idle)

    async def drain_inbox(self) -> int:
        """Answers messages that waited for Rasa, oldest first per conversation; stops at the first failure."""
        answered = 0
        for conversation_id in await self.inbox.conversations():
            while (item := await self.inbox.claim_oldest(conversation_id)) is not None:
                try:
                    result = await self.rasa.send(conversation_id, item["text"], {"language": item["language"]}, item["message_id"], retry=True)
                except RasaUnavailable:
                    await self.inbox.release(item["id"])
                    return answered
                await self.inbox.done(item["id"])
                conversation = await self.store.conversation(conversation_id, "web")
                reply = await self._apply(Reply(conversation_id, item["language"]), result, conversation.partner, item["text"])
                await self.handoffs.deliver(conversation_id, reply.messages, reply.language)
                answered += 1
        return answered
