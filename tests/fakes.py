"""A fake Rasa gateway channel on 127.0.0.1, for gateway tests that must not need a trained model."""
from __future__ import annotations

from typing import Any, Callable

from aiohttp import web

Responder = Callable[[dict[str, Any]], dict[str, Any]]


def echo_responder(body: dict[str, Any]) -> dict[str, Any]:
    text = body["message"]
    if text == "/affirm" or "delete" in text:
        return {
            "intent": {"name": "affirm", "confidence": 1.0},
            "entities": [],
            "messages": [
                {"recipient_id": body["sender"], "text": "Done: deleted."},
                {"recipient_id": body["sender"], "custom": {"passage": {"delete": True}}},
            ],
        }
    if "my plan" in text:
        return {
            "intent": {"name": "request_return_plan", "confidence": 0.9},
            "entities": [],
            "messages": [{"recipient_id": body["sender"], "text": "Your plan: /plans/AAAAAAAAAAAAAAAAAAAAAA.pdf"}],
        }
    if "danger" in text:
        return {
            "intent": {"name": "emergency", "confidence": 0.99},
            "entities": [],
            "messages": [
                {"recipient_id": body["sender"], "text": "Call 112."},
                {"recipient_id": body["sender"], "custom": {"passage": {"handoff": {"priority": "emergency", "reason": "emergency", "summary": {"country": "SN"}}}}},
            ],
        }
    if "counsellor" in text:
        return {
            "intent": {"name": "request_counsellor", "confidence": 0.97},
            "entities": [],
            "messages": [
                {"recipient_id": body["sender"], "text": "A counsellor will join."},
                {"recipient_id": body["sender"], "custom": {"passage": {"handoff": {"priority": "normal", "reason": "user_request"}}}},
            ],
        }
    return {
        "intent": {"name": "ask_country_info", "confidence": 0.93},
        "entities": [
            {"entity": "country", "value": "SN", "start": 0, "end": 7, "extractor": "GazetteerEntityExtractor"},
            {"entity": "language", "value": body["metadata"].get("language"), "start": 0, "end": 0, "extractor": "GatewayLanguage"},
        ],
        "messages": [
            {"recipient_id": body["sender"], "text": f"echo: {text}", "buttons": [{"title": "Health", "payload": "/inform"}]},
        ],
    }


class FakeRasa:
    """Records what the gateway sent; answers with `responder`, or fails with `status`."""

    def __init__(self, token: str, responder: Responder = echo_responder) -> None:
        self.token = token
        self.responder = responder
        self.received: list[dict[str, Any]] = []
        self.tracker_events: list[tuple[str, str, Any]] = []  # (method, conversation id, body)
        self.erased: list[str] = []
        self.status = 200

    def app(self) -> web.Application:
        async def webhook(request: web.Request) -> web.Response:
            if request.headers.get("Authorization") != f"Bearer {self.token}":
                return web.json_response({"error": "token"}, status=401)
            body = await request.json()
            self.received.append(body)
            if self.status != 200:
                return web.json_response({"error": "down"}, status=self.status)
            return web.json_response(self.responder(body))

        async def tracker_events(request: web.Request) -> web.Response:
            if request.query.get("token") != self.token:
                return web.json_response({"error": "token"}, status=401)
            self.tracker_events.append((request.method, request.match_info["conversation_id"], await request.json()))
            return web.json_response({})

        async def erase(request: web.Request) -> web.Response:
            if request.headers.get("Authorization") != f"Bearer {self.token}":
                return web.json_response({"error": "token"}, status=401)
            if self.status != 200:
                return web.json_response({"error": "down"}, status=self.status)
            self.erased.append(request.match_info["conversation_id"])
            return web.json_response({"deleted": request.match_info["conversation_id"]})

        app = web.Application()
        app.router.add_post("/webhooks/passage/webhook", webhook)
        app.router.add_delete("/webhooks/passage/conversations/{conversation_id}", erase)
        app.router.add_route("*", "/conversations/{conversation_id}/tracker/events", tracker_events)
        return app
