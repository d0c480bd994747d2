"""The WhatsApp channel, through Meta's WhatsApp Cloud API (Graph API).

In: the webhook (GET verification; POSTs signed with the app secret, X-Hub-Signature-256), text messages
and interactive replies; each message id once. Out: per message whatever fits WhatsApp's limits: reply
buttons (≤ 3, titles ≤ 20), a list (≤ 10 rows, titles ≤ 24), or numbered text answered by number.
Nothing free-form is sent more than 24 hours after the person last wrote (Meta's customer-service window).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

import aiohttp
from aiohttp import web

from bot.channels.common import GREET, ConversationLocks, Services, exchange, gateway_text, partner_start, reply_language
from bot.channels.config import WhatsAppConfig
from bot.channels.dedup import SeenMessages
from bot.channels.splitting import split_text
from bot.conversation import Incoming
from bot.db import utcnow

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
SERVICE_WINDOW = timedelta(hours=24)
MAX_TEXT = 4096
MAX_BUTTON_BODY = 1024
MAX_BUTTONS, MAX_BUTTON_TITLE = 3, 20
MAX_ROWS, MAX_ROW_TITLE = 10, 24
MAX_ID = 200  # list row ids (reply button ids allow 256)
_PARTNER_MESSAGE = re.compile(r"^(?:start\s+)?(\S{2,40})$", re.IGNORECASE)


def signature_ok(app_secret: str, body: bytes, header: str) -> bool:
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.encode(), expected.encode())


def _text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def _fits(titles: list[str], count: int, length: int) -> bool:
    return 0 < len(titles) <= count and all(0 < len(t) <= length for t in titles) and len(set(titles)) == len(titles)


class WhatsAppChannel:
    def __init__(self, config: WhatsAppConfig, services: Services, seen: SeenMessages) -> None:
        self.config = config
        self.services = services
        self.seen = seen
        self._locks = ConversationLocks()
        self._session: Optional[aiohttp.ClientSession] = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            headers={"Authorization": f"Bearer {self.config.token}"}, timeout=aiohttp.ClientTimeout(total=20)
        )
        logger.info("whatsapp channel on")

    async def stop(self) -> None:
        """Lets messages being answered finish, then closes the HTTP session."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session:
            await self._session.close()

    # -- webhook ---------------------------------------------------------------------------------

    async def verify(self, request: web.Request) -> web.Response:
        """GET /whatsapp/webhook: Meta's subscription check, answered with the challenge if the token matches."""
        mode, token = request.query.get("hub.mode", ""), request.query.get("hub.verify_token", "")
        challenge = request.query.get("hub.challenge", "")
        if mode == "subscribe" and challenge and hmac.compare_digest(token.encode(), self.config.verify_token.encode()):
            return web.Response(text=challenge)
        logger.warning("whatsapp webhook verification refused")
        return web.Response(status=403)

    async def webhook(self, request: web.Request) -> web.Response:
        """POST /whatsapp/webhook: signed notifications; messages are answered in the background."""
        body = await request.read()
        if not signature_ok(self.config.app_secret, body, request.headers.get(SIGNATURE_HEADER, "")):
            logger.warning("whatsapp webhook refused: missing or wrong signature")
            return web.Response(status=401)
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return web.Response(status=400)
        messages = list(self._messages(data)) if isinstance(data, dict) else []
        if messages:  # status callbacks (sent, delivered, read, failed) carry none and are ignored
            task = asyncio.create_task(self._process_all(messages))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.Response()

    def _messages(self, data: dict[str, Any]) -> Any:
        for entry in data.get("entry") or []:
            for change in entry.get("changes") or []:
                value = change.get("value") or {}
                number_id = (value.get("metadata") or {}).get("phone_number_id")
                if number_id and number_id != self.config.phone_number_id:
                    continue  # another number on the same Meta app
                yield from value.get("messages") or []

    async def _process_all(self, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            try:
                await self._process(message)
            except Exception as error:  # noqa: BLE001 - a background task must log, not vanish; no content logged
                logger.error("whatsapp message failed: %s", type(error).__name__)

    async def _process(self, message: dict[str, Any]) -> None:
        message_id, number = str(message.get("id") or ""), str(message.get("from") or "")
        if not message_id or not number:
            return
        if not await self.seen.first_time(message_id):
            logger.info("whatsapp duplicate delivery ignored")
            return
        at = self._timestamp(message)
        conversation_id = self.services.gateway.conversation_id(CHANNEL, number)
        async with self._locks(conversation_id):
            text = await self._text_of(message)
            if text is None:
                if message.get("type") != "reaction":  # a 👍 on a message needs no answer
                    await self._unsupported(number, conversation_id, at)
                return
            hint, partner = None, None
            started = await self._partner_code(text)
            if started:
                partner, hint = started
                text = GREET
            else:
                text = await self._numbered_choice(conversation_id, text)
            reply = await exchange(self.services, Incoming(CHANNEL, number, text, language_hint=hint, partner=partner), number, at)
            await self._send(number, conversation_id, reply.messages, reply.language, record_options=not reply.deleted)

    @staticmethod
    def _timestamp(message: dict[str, Any]) -> datetime:
        """When the person wrote (the window runs from then), never later than now."""
        now = utcnow()
        try:
            return min(now, datetime.fromtimestamp(int(message["timestamp"]), timezone.utc))
        except (KeyError, TypeError, ValueError, OverflowError):
            return now

    async def _text_of(self, message: dict[str, Any]) -> Optional[str]:
        kind = message.get("type")
        if kind == "text":
            return str((message.get("text") or {}).get("body") or "")
        if kind == "interactive":
            interactive = message.get("interactive") or {}
            choice = interactive.get("button_reply") or interactive.get("list_reply") or {}
            return await self.services.payloads.decode(str(choice.get("id") or ""))
        if kind == "button":  # a quick-reply button on a template message
            return str((message.get("button") or {}).get("payload") or "")
        return None

    async def _partner_code(self, text: str) -> Optional[tuple[str, Optional[str]]]:
        """A wa.me link's prefilled "start <code>" (or a bare registered code): (partner, language hint)."""
        match = _PARTNER_MESSAGE.match(text.strip())
        return await partner_start(self.services, match.group(1), None) if match else None

    async def _numbered_choice(self, conversation_id: str, text: str) -> str:
        """A bare number answering a numbered menu becomes that option's payload."""
        stripped = text.strip()
        if not stripped.isdigit():
            return text
        known = await self.services.addresses.get(conversation_id)
        if known and known.pending_options and 1 <= int(stripped) <= len(known.pending_options):
            return known.pending_options[int(stripped) - 1]
        return text

    async def _unsupported(self, number: str, conversation_id: str, at: datetime) -> None:
        await self.services.addresses.inbound(conversation_id, CHANNEL, number, at, create=False)
        lang = await reply_language(self.services, conversation_id, None)
        await self._post(number, _text(gateway_text(lang, "unsupported_media")))

    # -- sending ---------------------------------------------------------------------------------

    async def push(self, address: str, messages: list[dict[str, Any]], language: str) -> bool:
        """Sends later messages (e.g. a counsellor's); refused outside the 24-hour service window."""
        conversation_id = self.services.gateway.conversation_id(CHANNEL, address)
        known = await self.services.addresses.get(conversation_id)
        if known is None or known.last_inbound_at is None or utcnow() - known.last_inbound_at > SERVICE_WINDOW:
            logger.info("whatsapp push refused, outside the 24-hour window: conversation=%s", conversation_id[:10])
            return False
        return await self._send(address, conversation_id, messages, language, record_options=True)

    async def _send(self, number: str, conversation_id: str, messages: list[dict[str, Any]], language: str, record_options: bool) -> bool:
        options: Optional[list[str]] = None
        ok = True
        for message in messages:
            payloads, numbered = await self.render(message, language)
            if message.get("buttons"):
                options = numbered  # the latest menu decides what a bare number means
            for payload in payloads:
                ok = await self._post(number, payload) and ok
        if record_options:
            await self.services.addresses.set(conversation_id, pending_options=options)
        return ok

    async def render(self, message: dict[str, Any], language: str) -> tuple[list[dict[str, Any]], Optional[list[str]]]:
        """Graph API message bodies for one bot message, and the payloads of a numbered menu if one was used."""
        text = message.get("text") or ""
        buttons = message.get("buttons") or []
        if not buttons:
            return [_text(chunk) for chunk in split_text(text, MAX_TEXT) if chunk], None
        text = text.strip() or gateway_text(language, "choose_option")
        titles = [b.get("title", "") for b in buttons]
        payloads = [b.get("payload") or b.get("title", "") for b in buttons]
        if _fits(titles, MAX_BUTTONS, MAX_BUTTON_TITLE):
            *before, last = split_text(text, MAX_BUTTON_BODY)
            action = {"buttons": [{"type": "reply", "reply": {"id": await self.services.payloads.encode(p, MAX_ID), "title": t}} for t, p in zip(titles, payloads)]}
            return [*(_text(c) for c in before), {"type": "interactive", "interactive": {"type": "button", "body": {"text": last}, "action": action}}], None
        if _fits(titles, MAX_ROWS, MAX_ROW_TITLE):
            *before, last = split_text(text, MAX_TEXT)
            rows = [{"id": await self.services.payloads.encode(p, MAX_ID), "title": t} for t, p in zip(titles, payloads)]
            action = {"button": gateway_text(language, "list_button")[:MAX_BUTTON_TITLE], "sections": [{"rows": rows}]}
            return [*(_text(c) for c in before), {"type": "interactive", "interactive": {"type": "list", "body": {"text": last}, "action": action}}], None
        menu = "\n".join(f"{i}. {title}" for i, title in enumerate(titles, 1))
        full = f"{text}\n\n{menu}\n\n{gateway_text(language, 'reply_with_number')}"
        return [_text(chunk) for chunk in split_text(full, MAX_TEXT)], payloads

    async def _post(self, number: str, message: dict[str, Any]) -> bool:
        """POST /<phone-number-id>/messages; failures are logged by status and Graph error code only."""
        if self._session is None:
            raise RuntimeError("WhatsAppChannel.start() was not called")
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": number, **message}
        url = f"{self.config.api_url}/{self.config.phone_number_id}/messages"
        try:
            async with self._session.post(url, json=body) as response:
                if response.status < 300:
                    return True
                detail = await response.json(content_type=None)
                code = (detail.get("error") or {}).get("code") if isinstance(detail, dict) else None
                logger.warning("whatsapp send failed: status=%s code=%s", response.status, code)
        except (aiohttp.ClientError, asyncio.TimeoutError, json.JSONDecodeError) as error:
            logger.warning("whatsapp send failed: %s", type(error).__name__)
        return False
