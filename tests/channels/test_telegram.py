"""The Telegram channel with the real python-telegram-bot, over real HTTP to a fake Bot API on 127.0.0.1."""
from __future__ import annotations

import logging
import time
from typing import Any, Optional

import aiohttp
import pytest
from sqlalchemy import select

from bot.app_keys import GATEWAY
from bot.channels import ADDRESSES, PUSHERS, push
from bot.channels.splitting import utf16_len
from bot.db import conversations
from bot.partners import PartnerRegistry
from tests.channels.fakes import (
    BOT_TOKEN,
    BOT_USER,
    COUNTRY_BUTTONS,
    LONG_TEXT,
    FakeRasa,
    FakeTelegram,
    add_partner,
    counsellor_replies,
    wait_for,
)

pytestmark = pytest.mark.asyncio

SECRET = "webhook-secret-0123456789abcdef"
USER_ID = 777000111


def env(telegram: FakeTelegram, mode: str = "polling", **extra: str) -> dict[str, str]:
    values = {"PASSAGE_TELEGRAM_TOKEN": BOT_TOKEN, "PASSAGE_TELEGRAM_API_URL": telegram.url, "PASSAGE_TELEGRAM_MODE": mode, "PASSAGE_TELEGRAM_POLL_TIMEOUT": "1"}
    if mode == "webhook":
        values.update(PASSAGE_TELEGRAM_WEBHOOK_SECRET=SECRET, PASSAGE_PUBLIC_URL="https://passage.example.org")
    values.update(extra)
    return values


def user(language_code: Optional[str] = "en", user_id: int = USER_ID) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Amal", "language_code": language_code}


def message(text: Optional[str] = None, language_code: Optional[str] = "en", user_id: int = USER_ID, **content: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"message_id": int(time.time() * 1000) % 100000, "date": int(time.time()), "chat": {"id": user_id, "type": "private", "first_name": "Amal"}, "from": user(language_code, user_id), **content}
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"message": body}


def button_press(data: str, language_code: str = "en", user_id: int = USER_ID) -> dict[str, Any]:
    shown = {"message_id": 5, "date": int(time.time()), "chat": {"id": user_id, "type": "private"}, "from": BOT_USER, "text": "…"}
    return {"callback_query": {"id": f"cq{time.time_ns()}", "from": user(language_code, user_id), "chat_instance": "ci", "data": data, "message": shown}}


def keyboard_of(params: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (params.get("reply_markup") or {}).get("inline_keyboard") or []
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


def with_keyboard(telegram: FakeTelegram) -> list[dict[str, Any]]:
    """Sent messages that carry buttons (first contact may also bring a privacy notice without any)."""
    return [p for p in telegram.called("sendMessage") if keyboard_of(p)]


async def test_conversation_from_deep_link_to_counsellor(start_gateway, settings, fake_telegram: FakeTelegram, fake_rasa: FakeRasa, caplog) -> None:
    """First contact through a partner's French link → country question → counsellor; the count goes up."""
    caplog.set_level(logging.INFO)
    await add_partner(settings, "caritas_lyon", "Caritas Lyon")
    running = await start_gateway(env(fake_telegram))
    assert running.channels == ["telegram (polling)"]
    registry = PartnerRegistry(running.app[GATEWAY].store.engine)
    before = sum((await registry.weekly_counts(1)).get("caritas_lyon", {}).values())

    fake_telegram.queue(message("/start caritas_lyon-fr", language_code="en"))
    (greeting,) = await wait_for(lambda: with_keyboard(fake_telegram))
    assert fake_rasa.received[0]["message"] == "/greet"
    assert fake_rasa.received[0]["metadata"]["language"] == "fr"  # the link's language beats the app's "en"
    assert fake_telegram.called("sendChatAction")[0]["action"] == "typing"
    assert keyboard_of(greeting) == [(b["title"], b["payload"]) for b in COUNTRY_BUTTONS]

    fake_telegram.queue(button_press(COUNTRY_BUTTONS[0]["payload"]))
    await wait_for(lambda: len(fake_rasa.received) == 2)
    assert fake_rasa.received[1]["message"] == COUNTRY_BUTTONS[0]["payload"]
    await wait_for(lambda: fake_telegram.called("answerCallbackQuery"))

    fake_telegram.queue(message("/counsellor"))
    await wait_for(lambda: "A counsellor will answer you here soon." in fake_telegram.sent_texts(USER_ID))
    assert fake_rasa.texts() == ["/greet", COUNTRY_BUTTONS[0]["payload"], "/request_counsellor"]
    assert "handoff requested" in caplog.text

    conversation_id = running.app[GATEWAY].conversation_id("telegram", str(USER_ID))
    async with running.app[GATEWAY].store.engine.connect() as connection:
        row = (await connection.execute(select(conversations).where(conversations.c.id == conversation_id))).one()
    assert row.partner == "caritas_lyon"
    after = sum((await registry.weekly_counts(1))["caritas_lyon"].values())
    assert after == before + 1

    fake_telegram.queue(message("merci, j'attends"))  # while waiting, the bot stays silent
    await wait_for(lambda: len(fake_telegram.called("sendChatAction")) == 4)
    await counsellor_replies(running.app, conversation_id, "fr", "Bonjour, je suis Amina, conseillère.")
    assert fake_telegram.sent_texts(USER_ID)[-1] == "Bonjour, je suis Amina, conseillère."
    assert len(fake_rasa.received) == 3
    assert str(USER_ID) not in caplog.text and "counsellor will answer" not in caplog.text  # no ids, no text in logs


async def test_command_menus_published_in_five_languages(start_gateway, fake_telegram: FakeTelegram) -> None:
    await start_gateway(env(fake_telegram))
    menus = {p.get("language_code"): [c["command"] for c in p["commands"]] for p in fake_telegram.called("setMyCommands")}
    assert set(menus) == {None, "en", "fr", "ar", "fa", "bn"}
    assert all(commands == ["help", "language", "counsellor", "delete"] for commands in menus.values())
    fr = next(p for p in fake_telegram.called("setMyCommands") if p.get("language_code") == "fr")
    assert fr["commands"][2]["description"] == "Parler à un conseiller"


async def test_language_hint_and_commands_route_as_payloads(start_gateway, fake_telegram: FakeTelegram, fake_rasa: FakeRasa) -> None:
    await start_gateway(env(fake_telegram))
    fake_telegram.queue(message("/help", language_code="fa"))
    await wait_for(lambda: fake_rasa.received)
    assert fake_rasa.received[0]["message"] == "/greet"
    assert fake_rasa.received[0]["metadata"]["language"] == "fa"


async def test_language_keyboard_sends_an_explicit_request(start_gateway, fake_telegram: FakeTelegram, fake_rasa: FakeRasa) -> None:
    await start_gateway(env(fake_telegram))
    fake_telegram.queue(message("/language"))
    sent = await wait_for(lambda: fake_telegram.called("sendMessage"))
    assert sent[0]["text"] == "Choose your language:"
    assert [title for title, _ in keyboard_of(sent[0])] == ["English", "Français", "العربية", "فارسی", "বাংলা"]
    fake_telegram.queue(button_press("বাংলা"))
    await wait_for(lambda: fake_rasa.received)
    assert fake_rasa.received[0]["message"] == "বাংলা"
    assert fake_rasa.received[0]["metadata"]["language"] == "bn"
    fake_telegram.queue(message("hello, how are you doing today?"))
    await wait_for(lambda: len(fake_rasa.received) == 2)
    assert fake_rasa.received[1]["metadata"]["language"] == "bn"  # the choice sticks


async def test_long_reply_is_split_on_sentence_ends(start_gateway, fake_telegram: FakeTelegram) -> None:
    await start_gateway(env(fake_telegram))
    fake_telegram.queue(message("long please"))
    await wait_for(lambda: any(t.endswith("number 199 explains one more thing about your rights here.") for t in fake_telegram.sent_texts(USER_ID)))
    chunks = [t for t in fake_telegram.sent_texts(USER_ID) if t.startswith("Sentence number")]
    assert len(chunks) == 4
    assert all(utf16_len(chunk) <= 4096 and chunk.endswith(".") for chunk in chunks)
    assert " ".join(chunks) == LONG_TEXT


async def test_long_button_payloads_survive_the_64_byte_limit(start_gateway, fake_telegram: FakeTelegram, fake_rasa: FakeRasa) -> None:
    await start_gateway(env(fake_telegram))
    fake_telegram.queue(message("long payload"))
    (sent,) = await wait_for(lambda: with_keyboard(fake_telegram))
    ((title, data),) = keyboard_of(sent)
    assert data.startswith("#") and len(data.encode()) <= 64
    fake_telegram.queue(button_press(data))
    await wait_for(lambda: len(fake_rasa.received) == 2)
    assert fake_rasa.received[1]["message"].startswith("/inform{") and len(fake_rasa.received[1]["message"]) > 300


@pytest.mark.parametrize(
    "content",
    [
        {"voice": {"file_id": "v", "file_unique_id": "vu", "duration": 3}},
        {"photo": [{"file_id": "p", "file_unique_id": "pu", "width": 90, "height": 90}]},
        {"sticker": {"file_id": "s", "file_unique_id": "su", "width": 512, "height": 512, "is_animated": False, "is_video": False, "type": "regular"}},
        {"location": {"latitude": 48.85, "longitude": 2.35}},
        {"document": {"file_id": "d", "file_unique_id": "du", "file_name": "papers.pdf"}},
    ],
    ids=["voice", "photo", "sticker", "location", "document"],
)
async def test_media_gets_a_kind_reply_in_the_users_language(start_gateway, fake_telegram: FakeTelegram, fake_rasa: FakeRasa, content: dict[str, Any]) -> None:
    await start_gateway(env(fake_telegram))
    fake_telegram.queue(message(None, language_code="en", **content))
    sent = await wait_for(lambda: fake_telegram.sent_texts(USER_ID))
    assert sent == ["I can only read text messages for now. Please write your question in words, or ask for a counsellor."]
    assert fake_rasa.received == []


async def test_edited_message_is_explained(start_gateway, fake_telegram: FakeTelegram, fake_rasa: FakeRasa) -> None:
    await start_gateway(env(fake_telegram))
    edited = message("I meant Syria")["message"] | {"edit_date": int(time.time())}
    fake_telegram.queue({"edited_message": edited})
    sent = await wait_for(lambda: fake_telegram.sent_texts(USER_ID))
    assert "send the corrected message again" in sent[0]
    assert fake_rasa.received == []


async def test_blocked_user_is_not_messaged_until_they_write_again(start_gateway, fake_telegram: FakeTelegram, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_telegram))
    fake_telegram.queue(message("hello there"))
    await wait_for(lambda: fake_telegram.sent_texts(USER_ID))
    conversation_id = running.app[GATEWAY].conversation_id("telegram", str(USER_ID))

    fake_telegram.blocked.add(USER_ID)
    assert await push(running.app, conversation_id, [{"text": "A counsellor replied."}], "en") is False  # 403 → marked
    assert (await running.app[ADDRESSES].get(conversation_id)).blocked
    calls = len(fake_telegram.called("sendMessage"))
    assert await push(running.app, conversation_id, [{"text": "Again."}], "en") is False
    assert len(fake_telegram.called("sendMessage")) == calls  # not even tried

    fake_telegram.blocked.clear()
    fake_telegram.queue(message("I am back"))
    await wait_for(lambda: len(fake_rasa.received) == 2)
    await wait_for(lambda: "You wrote 9 characters." in fake_telegram.sent_texts(USER_ID))
    assert await push(running.app, conversation_id, [{"text": "A counsellor replied."}], "en") is True
    assert fake_telegram.sent_texts(USER_ID)[-1] == "A counsellor replied."
    assert "telegram" in running.app[PUSHERS]


async def test_delete_forgets_the_address(start_gateway, fake_telegram: FakeTelegram, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_telegram))
    fake_telegram.queue(message("hello there"))
    await wait_for(lambda: fake_telegram.sent_texts(USER_ID))
    fake_telegram.queue(message("/delete"))
    await wait_for(lambda: "Your data has been deleted." in fake_telegram.sent_texts(USER_ID))
    assert fake_rasa.texts()[-1] == "/delete_my_data"
    conversation_id = running.app[GATEWAY].conversation_id("telegram", str(USER_ID))
    assert await running.app[ADDRESSES].get(conversation_id) is None


async def test_webhook_refuses_missing_or_wrong_secret(start_gateway, fake_telegram: FakeTelegram, fake_rasa: FakeRasa) -> None:
    running = await start_gateway(env(fake_telegram, mode="webhook"))
    assert running.channels == ["telegram (webhook)"]
    (registration,) = fake_telegram.called("setWebhook")
    assert registration["url"] == "https://passage.example.org/telegram/webhook"
    assert registration["secret_token"] == SECRET
    update = {"update_id": 1, **message("hello from the webhook")}
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]}):
            async with http.post(f"{running.url}/telegram/webhook", json=update, headers=headers) as response:
                assert response.status == 401
        assert fake_rasa.received == []
        async with http.post(f"{running.url}/telegram/webhook", data=b"[1, 2]", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
            assert response.status == 400
        async with http.post(f"{running.url}/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
            assert response.status == 200
    await wait_for(lambda: fake_telegram.sent_texts(USER_ID))
    assert fake_rasa.texts() == ["hello from the webhook"]
    assert fake_telegram.called("getUpdates") == []  # no polling in webhook mode
