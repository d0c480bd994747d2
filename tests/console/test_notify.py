"""New-handoff notifications: a real SMTP exchange with a local aiosmtpd server, and a fake Bot API.

Both must carry only the handoff number, language, priority and link: never what the person wrote.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.console.notify import Notifier, NotifyConfig, notification_text
from bot.db import create_schema, make_engine
from bot.settings import SettingsError
from tests.console.helpers import chat

SECRET_WORDS = "my husband took my passport"




async def wait_until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_new_handoff_is_mailed_without_any_message_text(settings, smtp_server, monkeypatch) -> None:
    inbox, port = smtp_server
    monkeypatch.setenv("PASSAGE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PASSAGE_SMTP_PORT", str(port))
    monkeypatch.setenv("PASSAGE_SMTP_FROM", "passage@example.org")
    monkeypatch.setenv("PASSAGE_NOTIFY_EMAIL", "counsellors@example.org, duty@example.org")
    monkeypatch.setenv("PASSAGE_PUBLIC_URL", "https://passage.example.org")
    client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await client.start_server()
    try:
        await chat(client, "user-4711", f"{SECRET_WORDS}. I want a counsellor")
        await wait_until(lambda: inbox.messages)
        await chat(client, "user-4711", "hello?")  # no new handoff: no mail
        await chat(client, "user-0815", "I am in danger")
        await wait_until(lambda: len(inbox.messages) == 2)
        await asyncio.sleep(0.3)
    finally:
        await client.close()
    assert len(inbox.messages) == 2
    first, urgent = inbox.messages
    assert first["Subject"] == "Passage: new handoff #1"
    assert set(inbox.envelopes[0].rcpt_tos) == {"counsellors@example.org", "duty@example.org"}
    body = first.get_content()
    assert "https://passage.example.org/console/handoffs/1" in body
    assert "language: en" in body and "priority: normal" in body
    assert urgent["Subject"] == "Passage: URGENT new handoff #2"
    for envelope in inbox.envelopes:
        raw = envelope.content.decode()
        assert SECRET_WORDS not in raw and "passport" not in raw and "counsellor\n" not in raw
        assert "user-4711" not in raw and "user-0815" not in raw


async def test_a_new_handoff_is_posted_to_the_counsellors_telegram_group(tmp_path) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    async def api(request: web.Request) -> web.Response:
        params = dict(await request.post()) if request.content_type != "application/json" else await request.json()
        calls.append((request.match_info["method"], params))
        if request.match_info["method"] == "getMe":
            return web.json_response({"ok": True, "result": {"id": 123, "is_bot": True, "first_name": "Passage", "username": "passage_bot"}})
        message = {"message_id": 1, "date": int(time.time()), "chat": {"id": -100123, "type": "supergroup"}, "text": params.get("text", "")}
        return web.json_response({"ok": True, "result": message})

    fake = web.Application()
    fake.router.add_post("/bot{token}/{method}", api)
    server = TestServer(fake, host="127.0.0.1")
    await server.start_server()
    config = NotifyConfig(telegram_chat="-100123", telegram_token="123:abc", telegram_api_url=str(server.make_url("")).rstrip("/"))
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'notify.db'}")
    await create_schema(engine)
    notifier, other_gateway = Notifier(config, engine), Notifier(config, engine)
    try:
        await notifier.handle({"kind": "handoff_opened", "handoff_id": 7, "priority": "normal", "language": "ar"})
        await other_gateway.handle({"kind": "handoff_opened", "handoff_id": 7, "priority": "normal", "language": "ar"})  # said already
        await notifier.handle({"kind": "handoff_opened", "handoff_id": 7, "priority": "emergency", "language": "ar"})  # upgraded
        await notifier.handle({"kind": "handoff_opened", "handoff_id": 7, "priority": "normal", "language": "ar"})
        await notifier.handle({"kind": "message", "handoff_id": 7, "author": "user"})
    finally:
        await notifier.close()
        await other_gateway.close()
        await server.close()
        await engine.dispose()
    sent = [params for method, params in calls if method == "sendMessage"]
    assert len(sent) == 2
    assert str(sent[0]["chat_id"]) == "-100123"
    assert sent[0]["text"] == notification_text(7, "ar", "normal", "/console/handoffs/7")
    assert sent[1]["text"].startswith("Passage: URGENT new handoff #7")


def test_half_configured_notifications_name_the_missing_variable() -> None:
    with pytest.raises(SettingsError, match="PASSAGE_SMTP_HOST and PASSAGE_SMTP_FROM"):
        NotifyConfig.from_env({"PASSAGE_NOTIFY_EMAIL": "a@example.org"})
    with pytest.raises(SettingsError, match="PASSAGE_TELEGRAM_TOKEN"):
        NotifyConfig.from_env({"PASSAGE_NOTIFY_TELEGRAM_CHAT": "-100"})
    with pytest.raises(SettingsError, match="PASSAGE_SMTP_PORT"):
        NotifyConfig.from_env({"PASSAGE_SMTP_PORT": "twenty-five"})
    assert not NotifyConfig.from_env({}).enabled
    assert NotifyConfig.from_env({"PASSAGE_SMTP_PORT": "587"}).smtp.starttls
