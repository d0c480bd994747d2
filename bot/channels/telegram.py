"""The Telegram channel, on python-telegram-bot's plain `Application` (no job queue).

Long polling by default (a bot token is all it needs); webhook mode behind a public https URL, where every
POST must carry the secret token registered with setWebhook. Buttons become inline keyboards whose presses
come back as the button's payload; long replies are split at sentence ends; media and edits get a kind
reply instead of silence. Logs carry the conversation id prefix only, never text or Telegram ids.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import warnings
from contextlib import asynccontextmanager, suppress
from typing import Any, AsyncIterator, Optional

from aiohttp import web
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatMemberStatus
from telegram.error import Forbidden, TelegramError

with warnings.catch_warnings():
    # telegram.ext imports APScheduler 3 (installed for Rasa), which imports the deprecated pkg_resources.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=r"Deprecated call to `pkg_resources\.declare_namespace", category=DeprecationWarning)
    from telegram.ext import (
        Application,
        ApplicationBuilder,
        CallbackQueryHandler,
        ChatMemberHandler,
        CommandHandler,
        ContextTypes,
        MessageHandler,
        filters,
    )

from bot.channels.common import GREET, ConversationLocks, Services, data_file, exchange, gateway_text, partner_start, reply_language
from bot.channels.config import TelegramConfig
from bot.channels.splitting import split_text
from bot.conversation import Incoming
from bot.language import LANGUAGES

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_TEXT = 4096  # Telegram's limit per message, in UTF-16 units
MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback_data
TYPING_EVERY_S = 4.5  # a chat action shows for about 5 s
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

# Commands that stand for a message to Rasa; /start and /language are handled here.
COMMAND_PAYLOADS = {"help": GREET, "counsellor": "/request_counsellor", "delete": "/delete_my_data"}


def command_menus() -> dict[str, list[BotCommand]]:
    """The command menu per language, from data/telegram.yml."""
    raw = data_file("telegram.yml")["commands"]
    return {lang: [BotCommand(name, description) for name, description in raw[lang].items()] for lang in LANGUAGES}


def language_keyboard() -> InlineKeyboardMarkup:
    names = data_file("telegram.yml")["language_buttons"]
    return InlineKeyboardMarkup([[InlineKeyboardButton(names[lang], callback_data=names[lang])] for lang in LANGUAGES])


class TelegramChannel:
    def __init__(self, config: TelegramConfig, services: Services) -> None:
        self.config = config
        self.services = services
        self._locks = ConversationLocks()
        builder = (
            ApplicationBuilder()
            .token(config.token)
            .base_url(f"{config.api_url}/bot")
            .base_file_url(f"{config.api_url}/file/bot")
            .job_queue(None)
            .concurrent_updates(32)  # a slow Rasa answer for one person must not hold up everyone else
        )
        if config.mode == "webhook":
            builder = builder.updater(None)
        self.application: Application = builder.build()
        self._add_handlers()

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Checks the token (getMe), publishes the command menus, then polls or registers the webhook."""
        logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs request URLs, which contain the token
        await self.application.initialize()
        for lang, commands in command_menus().items():
            await self.application.bot.set_my_commands(commands, language_code=lang)
        await self.application.bot.set_my_commands(command_menus()["en"])  # users whose language is none of ours
        if self.config.mode == "webhook":
            await self.application.bot.set_webhook(self.config.webhook_url, secret_token=self.config.webhook_secret, allowed_updates=ALLOWED_UPDATES)
        await self.application.start()
        if self.config.mode == "polling" and self.application.updater:
            await self.application.updater.start_polling(timeout=self.config.poll_timeout_s, allowed_updates=ALLOWED_UPDATES)
        logger.info("telegram channel on: mode=%s", self.config.mode)

    async def stop(self) -> None:
        if self.application.updater and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    # -- webhook ---------------------------------------------------------------------------------

    async def webhook(self, request: web.Request) -> web.Response:
        """POST /telegram/webhook: an update from Telegram, accepted only with the registered secret token."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.config.webhook_secret.encode()):
            logger.warning("telegram webhook refused: missing or wrong secret token")
            return web.Response(status=401)
        try:
            data = json.loads(await request.read())
        except (UnicodeDecodeError, json.JSONDecodeError):
            return web.Response(status=400)
        try:
            update = Update.de_json(data, self.application.bot) if isinstance(data, dict) else None
        except (KeyError, TypeError, ValueError):
            update = None
        if update is None:
            return web.Response(status=400)
        await self.application.update_queue.put(update)
        return web.Response()

    # -- sending ---------------------------------------------------------------------------------

    async def push(self, address: str, messages: list[dict[str, Any]], language: str) -> bool:
        """Sends later messages (e.g. a counsellor's) to a chat; False if the user blocked the bot."""
        conversation_id = self.services.gateway.conversation_id(CHANNEL, address)  # private chat id == user id
        known = await self.services.addresses.get(conversation_id)
        if known and known.blocked:
            logger.info("telegram push skipped, user blocked the bot: conversation=%s", conversation_id[:10])
            return False
        return await self._send(int(address), conversation_id, messages, language)

    async def _send(self, chat_id: int, conversation_id: str, messages: list[dict[str, Any]], language: str) -> bool:
        bot = self.application.bot
        try:
            for message in messages:
                buttons = message.get("buttons") or []
                chunks = split_text(message.get("text") or "", MAX_TEXT) or [gateway_text(language, "choose_option")]
                markup = await self._keyboard(buttons) if buttons else None
                for index, chunk in enumerate(chunks):
                    last = index == len(chunks) - 1
                    await bot.send_message(chat_id, chunk, reply_markup=markup if last else None)
        except Forbidden:
            logger.info("telegram user blocked the bot: conversation=%s", conversation_id[:10])
            await self.services.addresses.set(conversation_id, blocked=True)
            return False
        return True

    async def _keyboard(self, buttons: list[dict[str, str]]) -> InlineKeyboardMarkup:
        rows = []
        for button in buttons:
            key = await self.services.payloads.encode(button.get("payload") or button.get("title", ""), MAX_CALLBACK_BYTES)
            rows.append([InlineKeyboardButton(button.get("title", ""), callback_data=key)])
        return InlineKeyboardMarkup(rows)

    @asynccontextmanager
    async def _typing(self, chat_id: int) -> AsyncIterator[None]:
        """Shows "typing…" for as long as the block runs (Rasa thinking)."""

        async def keep_typing() -> None:
            while True:
                try:
                    await self.application.bot.send_chat_action(chat_id, ChatAction.TYPING)
                except TelegramError:
                    return  # cosmetic: the reply itself reports real failures
                await asyncio.sleep(TYPING_EVERY_S)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    # -- handlers --------------------------------------------------------------------------------

    def _add_handlers(self) -> None:
        private = filters.ChatType.PRIVATE
        app = self.application
        app.add_handler(MessageHandler(private & filters.UpdateType.EDITED, self.on_edited))
        app.add_handler(CommandHandler("start", self.on_start, filters=private))
        app.add_handler(CommandHandler("language", self.on_language, filters=private))
        for command in COMMAND_PAYLOADS:
            app.add_handler(CommandHandler(command, self.on_command, filters=private))
        app.add_handler(MessageHandler(private & filters.TEXT, self.on_text))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_handler(ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, self.on_unsupported))
        app.add_error_handler(self.on_error)

    async def converse(self, update: Update, text: str, hint: Optional[str] = None, partner: Optional[str] = None) -> None:
        """Sends one message through the gateway and the reply back, showing "typing…" meanwhile."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        incoming = Incoming(CHANNEL, str(user.id), text, language_hint=hint or user.language_code, partner=partner)
        conversation_id = self.services.gateway.conversation_id(CHANNEL, str(user.id))
        async with self._locks(conversation_id):
            async with self._typing(chat.id):
                reply = await exchange(self.services, incoming, str(chat.id))
            await self._send(chat.id, conversation_id, reply.messages, reply.language)

    async def _say(self, update: Update, key: str, markup: Optional[InlineKeyboardMarkup] = None) -> None:
        """Answers from the gateway's own texts, in the conversation's language, without asking Rasa."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        conversation_id = self.services.gateway.conversation_id(CHANNEL, str(user.id))
        await self.services.addresses.inbound(conversation_id, CHANNEL, str(chat.id), create=False)
        lang = await reply_language(self.services, conversation_id, user.language_code)
        try:
            await self.application.bot.send_message(chat.id, gateway_text(lang, key), reply_markup=markup)
        except Forbidden:
            await self.services.addresses.set(conversation_id, blocked=True)

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start [code]: greets; a deep-link code records the partner and the language it asks for."""
        user = update.effective_user
        hint, partner = (user.language_code if user else None), None
        if context.args:
            started = await partner_start(self.services, context.args[0], hint)
            if started:
                partner, hint = started
            else:
                logger.info("telegram /start with an unknown partner code")
        await self.converse(update, GREET, hint, partner)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help, /counsellor, /delete: the matching request, through the gateway like any message."""
        text = update.effective_message.text if update.effective_message else ""
        command = (text or "").split()[0].lstrip("/").split("@")[0].lower()
        await self.converse(update, COMMAND_PAYLOADS[command])

    async def on_language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/language: offers the five languages; a press sends the language's name, an explicit request."""
        await self._say(update, "choose_language", language_keyboard())

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message: through the gateway."""
        if update.effective_message and update.effective_message.text:
            await self.converse(update, update.effective_message.text)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An inline button press: answers the callback (stops the spinner) and sends the payload on."""
        query = update.callback_query
        if query is None:
            return
        with suppress(TelegramError):
            await query.answer()
        payload = await self.services.payloads.decode(query.data or "")
        if payload and update.effective_chat and update.effective_chat.type == "private":
            await self.converse(update, payload)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message: explains that edits are not read, so the person re-sends instead of waiting."""
        await self._say(update, "edited_message")

    async def on_unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Voice, photo, sticker, location, document…: a kind reply asking for text."""
        await self._say(update, "unsupported_media")

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user blocked (or unblocked) the bot: remember it, so pushes stop until they write again."""
        change, user = update.my_chat_member, update.effective_user
        if change is None or user is None:
            return
        conversation_id = self.services.gateway.conversation_id(CHANNEL, str(user.id))
        if change.new_chat_member.status == ChatMemberStatus.BANNED:
            await self.services.addresses.set(conversation_id, blocked=True)
            logger.info("telegram user blocked the bot: conversation=%s", conversation_id[:10])

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs the error class only: the update holds personal data."""
        logger.error("telegram handler failed: %s", type(context.error).__name__)

