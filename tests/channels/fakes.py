"""Local fakes on 127.0.0.1: Rasa's gateway webhook, the Telegram Bot API and the WhatsApp Graph API.

The gateway under test is the real one (`create_app` + `setup_channels`), talking real HTTP to the fakes.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Optional

import pytest
import pytest_asyncio
from aiohttp import web

from bot.app import create_app
from bot.app_keys import GATEWAY
from bot.channels import setup_channels
from bot.db import create_schema, make_engine
from bot.partners import PartnerRegistry
from bot.settings import Settings

BOT_TOKEN = "123456:TEST-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Passage", "username": "passage_test_bot"}
COUNTRY_BUTTONS = [
    {"title": "Syria", "payload": '/inform{"country": "SY"}'},
    {"title": "Afghanistan", "payload": '/inform{"country": "AF"}'},
    {"title": "Bangladesh", "payload": '/inform{"country": "BD"}'},
]
LONG_TEXT = " ".join(f"Sentence number {i} explains one more thing about your rights here." for i in range(200))


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def wait_for(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Polls until predicate() is truthy: channels answer asynchronously."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        await asyncio.sleep(0.02)
    raise AssertionError("timed out waiting for the channel")


# -- fake Rasa ---------------------------------------------------------------------------------


def scripted_rasa(text: str) -> list[dict[str, Any]]:
    """A tiny Rasa: greet → country question with buttons; country → offer; counsellor → handoff signal."""
    if text == "/greet":
        return [{"text": "Hello! Which country are you from?", "buttons": COUNTRY_BUTTONS}]
    if text.startswith("/inform"):
        return [{"text": "Thank you. I can tell you about going back, or you can talk to a counsellor.", "buttons": [{"title": "Counsellor", "payload": "/request_counsellor"}]}]
    if text == "/request_counsellor":
        return [{"text": "A counsellor will answer you here soon."}, {"custom": {"passage": {"handoff": {"reason": "user_request"}}}}]
    if text == "/delete_my_data":
        return [{"text": "Your data has been deleted."}, {"custom": {"passage": {"delete": True}}}]
    if text == "long please":
        return [{"text": LONG_TEXT}]
    if text == "many options":
        return [{"text": "Pick a topic.", "buttons": [{"title": f"Topic {i}", "payload": f"/topic{{\"n\": {i}}}"} for i in range(1, 6)]}]
    if text == "too many options":
        return [{"text": "Pick one.", "buttons": [{"title": f"A rather long option title {i}", "payload": f"/choice{{\"n\": {i}}}"} for i in range(1, 13)]}]
    if text == "long payload":
        return [{"text": "One button.", "buttons": [{"title": "Go", "payload": "/inform" + json.dumps({"note": "x" * 300})}]}]
    return [{"text": f"You wrote {len(text)} characters."}]


@dataclass
class FakeRasa:
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [r["message"] for r in self.received]

    async def tracker_events(self, request: web.Request) -> web.Response:
        """Pause/resume while a counsellor has the conversation (bot/handoff.py)."""
        return web.json_response({})

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        return web.json_response({"messages": scripted_rasa(body["message"]), "intent": {"name": "x", "confidence": 1.0}, "entities": []})


@pytest_asyncio.fixture
async def fake_rasa() -> AsyncIterator[FakeRasa]:
    rasa = FakeRasa()
    app = web.Application()
    app.router.add_post("/webhooks/passage/webhook", rasa.webhook)
    app.router.add_route("*", "/conversations/{conversation_id}/tracker/events", rasa.tracker_events)
    runner, rasa.url = await serve(app)
    yield rasa
    await runner.cleanup()


# -- fake Telegram Bot API ---------------------------------------------------------------------


@dataclass
class FakeTelegram:
    url: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _next_update: int = 1
    _next_message: int = 100
    _arrived: Optional[asyncio.Event] = None

    def called(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def sent_texts(self, chat_id: int) -> list[str]:
        return [p["text"] for p in self.called("sendMessage") if int(p["chat_id"]) == chat_id]

    def queue(self, update: dict[str, Any]) -> None:
        """Delivers an update to the bot's next getUpdates (long polling)."""
        update["update_id"] = self._next_update
        self._next_update += 1
        self._updates.append(update)
        if self._arrived:
            self._arrived.set()

    async def api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != BOT_TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        raw = await request.post() if request.content_type != "application/json" else await request.json()
        params: dict[str, Any] = {}
        for key, value in dict(raw).items():
            try:
                params[key] = json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value
            except json.JSONDecodeError:
                params[key] = value
        if method == "getUpdates":
            return await self._get_updates(params)
        self.calls.append((method, params))
        if method == "getMe":
            return web.json_response({"ok": True, "result": BOT_USER})
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            if chat_id in self.blocked:
                return web.json_response({"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}, status=403)
            self._next_message += 1
            message = {"message_id": self._next_message, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, "text": params["text"]}
            return web.json_response({"ok": True, "result": message})
        return web.json_response({"ok": True, "result": True})

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        if self._arrived is None:
            self._arrived = asyncio.Event()
        pending = [u for u in self._updates if u["update_id"] >= offset]
        if not pending and float(params.get("timeout") or 0) > 0:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout=min(float(params["timeout"]), 0.5))
            except asyncio.TimeoutError:
                pass
            pending = [u for u in self._updates if u["update_id"] >= offset]
        return web.json_response({"ok": True, "result": pending})


@pytest_asyncio.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    telegram = FakeTelegram()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", telegram.api)
    runner, telegram.url = await serve(app)
    yield telegram
    await runner.cleanup()


# -- fake WhatsApp Graph API -------------------------------------------------------------------


@dataclass
class FakeGraph:
    url: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)

    async def messages(self, request: web.Request) -> web.Response:
        self.auth.append(request.headers.get("Authorization", ""))
        body = await request.json()
        self.sent.append({"phone_number_id": request.match_info["number_id"], **body})
        return web.json_response({"messaging_product": "whatsapp", "messages": [{"id": f"wamid.out{len(self.sent)}"}]})


@pytest_asyncio.fixture
async def fake_graph() -> AsyncIterator[FakeGraph]:
    graph = FakeGraph()
    app = web.Application()
    app.router.add_post("/v21.0/{number_id}/messages", graph.messages)
    runner, graph.url = await serve(app)
    yield graph
    await runner.cleanup()


# -- the gateway under test --------------------------------------------------------------------


async def counsellor_replies(app: web.Application, conversation_id: str, language: str, text: str) -> None:
    """A counsellor who speaks the language claims the open handoff and answers (bot/handoff.py)."""
    from bot.accounts import account_by_id, create_account

    gateway = app[GATEWAY]
    engine = gateway.store.engine
    account = await account_by_id(engine, await create_account(engine, f"counsellor_{language}", "a-long-password-123", "counsellor", [language], []))
    assert account is not None
    handoff = await gateway.handoffs.active(conversation_id)
    await gateway.handoffs.claim(handoff.id, account)
    await gateway.handoffs.reply(handoff.id, account, text)


@pytest.fixture
def settings(tmp_path: Path, fake_rasa: FakeRasa) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'passage.db'}",
        rasa_url=fake_rasa.url,
        rasa_token="rasa-token",
        pseudonym_secret="test-pseudonym-secret-0123456789",
        rasa_timeout_s=5.0,
    )


async def add_partner(settings: Settings, code: str, name: str, language: Optional[str] = None) -> None:
    engine = make_engine(settings.database_url)
    await create_schema(engine)
    await PartnerRegistry(engine).add(code, name, "contact@example.org", language)
    await engine.dispose()


@dataclass
class Running:
    app: web.Application
    url: str
    channels: list[str]
    runner: web.AppRunner
    stopped: bool = False

    async def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            await self.runner.cleanup()


@pytest_asyncio.fixture
async def start_gateway(settings: Settings) -> AsyncIterator[Callable[[dict[str, str]], Any]]:
    """Starts create_app + setup_channels with the given environment; stops everything afterwards."""
    started: list[Running] = []

    async def start(environ: dict[str, str]) -> Running:
        app = create_app(settings)
        channels = setup_channels(app, settings, environ)
        runner, url = await serve(app)
        started.append(Running(app, url, channels, runner))
        return started[-1]

    yield start
    for running in reversed(started):
        await running.stop()
