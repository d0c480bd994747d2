"""The web chat: a page for testing and for partners to embed, and the JSON API behind it.

POST /api/chat {"sender": "...", "text": "..."} →
{"language", "intent", "entities", "messages": [{"text", "buttons"}], "handoff", "pending"}
POST /api/poll {"sender": "...", "after": <message id>} → later messages (a counsellor's, or answers
to messages that waited for Rasa), for the web chat to show.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app_keys import GATEWAY
from bot.conversation import Incoming

STATIC = Path(__file__).with_name("static")
MAX_BODY_BYTES = 256 * 1024
MAX_SENDER_CHARS = 128


def _bad_request(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)


def parse_chat_request(raw: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """(body, None) for a valid request, (None, reason) for anything else."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "the request body is not valid UTF-8"
    except json.JSONDecodeError as error:
        return None, f"the request body is not valid JSON ({error.msg} at position {error.pos})"
    if not isinstance(body, dict):
        return None, "the request body must be a JSON object with 'sender' and 'text'"
    sender, text = body.get("sender"), body.get("text")
    if not isinstance(sender, str) or not sender.strip():
        return None, "'sender' must be a non-empty string"
    if len(sender) > MAX_SENDER_CHARS:
        return None, f"'sender' must be at most {MAX_SENDER_CHARS} characters"
    if not isinstance(text, str):
        return None, "'text' must be a string"
    hint = body.get("language")
    if hint is not None and not isinstance(hint, str):
        return None, "'language' must be a string such as 'fr' when given"
    partner = body.get("partner")
    if partner is not None and not isinstance(partner, str):
        return None, "'partner' must be a string when given"
    message_id = body.get("message_id")
    if message_id is not None and (not isinstance(message_id, str) or not 0 < len(message_id) <= 64):
        return None, "'message_id' must be a string of 1 to 64 characters when given"
    return body, None


async def chat_api(request: web.Request) -> web.Response:
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        return web.json_response({"error": f"the request body must be at most {MAX_BODY_BYTES} bytes"}, status=413)
    body, reason = parse_chat_request(await request.read())
    if body is None:
        return _bad_request(reason or "bad request")
    reply = await request.app[GATEWAY].handle(
        Incoming(
            channel="web",
            user_id=body["sender"],
            text=body["text"],
            language_hint=body.get("language"),
            partner=body.get("partner"),
            client_message_id=body.get("message_id"),
        )
    )
    return web.json_response(
        {
            "language": reply.language,
            "intent": reply.intent,
            "entities": [{"entity": e.get("entity"), "value": e.get("value")} for e in reply.entities],
            "messages": reply.messages,
            "handoff": reply.handoff,
            "pending": reply.pending,
        }
    )


async def poll_api(request: web.Request) -> web.Response:
    """Messages for this web-chat user after `after` (a counsellor's replies arrive this way)."""
    try:
        body = json.loads((await request.read()).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _bad_request("the request body must be JSON: {\"sender\": \"...\", \"after\": 0}")
    if not isinstance(body, dict) or not isinstance(body.get("sender"), str) or not body["sender"]:
        return _bad_request("'sender' must be a non-empty string")
    after = body.get("after", 0)
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        return _bad_request("'after' must be a whole number >= 0")
    gateway = request.app[GATEWAY]
    conversation_id = gateway.conversation_id("web", body["sender"])
    transcript = await gateway.store.transcript(conversation_id)
    active = await gateway.handoffs.active(conversation_id)
    return web.json_response(
        {
            "messages": [
                {"id": m["id"], "author": m["author"], "text": m["text"]}
                for m in transcript
                if m["id"] > after and m["author"] != "user"
            ],
            "handoff": {"status": active.status} if active is not None else None,
            "pending": await gateway.inbox.has_pending(conversation_id),
        }
    )


async def chat_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "chat.html")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", chat_page)
    app.router.add_post("/api/chat", chat_api)
    app.router.add_post("/api/poll", poll_api)
    app.router.add_static("/static", STATIC)
